"""Private uploads: files.py checks and stores them (by content, size-limited, generated names,
never under MEDIA_URL); pending.py keeps the files of a form that is not submitted yet and sweeps
what is left behind."""
