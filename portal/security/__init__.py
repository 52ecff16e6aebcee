"""Security machinery: response headers, rate limits (state in the shared cache), admin login
throttling, and the deploy checks that refuse an unsafe production set-up."""
