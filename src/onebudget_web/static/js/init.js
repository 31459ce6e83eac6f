/* Starts the NHS.UK frontend's components (header menu, error summary focus, details...). */
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();
