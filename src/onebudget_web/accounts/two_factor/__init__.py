"""Two-factor sign-in (ADR 0017): after the password, a code from an authenticator app (TOTP)
or a one-time recovery code, with django-otp's devices and throttling.

``rules`` reads who must use it and what they have set up; ``actions`` writes (each audited);
``middleware`` keeps a signed-in person who still owes the second factor on its pages;
``views`` and ``presenters`` are the pages.
"""
