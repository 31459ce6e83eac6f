/* Marks the page as having JavaScript before it is drawn, as the NHS.UK frontend expects
   (its inline snippet, moved to a file so that the Content-Security-Policy allows no inline
   script). Loaded synchronously at the top of <body>. */
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
