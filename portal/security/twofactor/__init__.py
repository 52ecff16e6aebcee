"""The second factor for staff sign-in (django-otp): a TOTP device enrolled on first login and
one-time recovery codes (a static device). `middleware.TwoFactorMiddleware` keeps the admin
closed to a session whose password step is done but whose second factor is not."""
