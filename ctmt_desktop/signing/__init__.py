"""Signing identities for submission packages: PKCS#12 files, PKCS#11 tokens, self-issued
certificates (see :mod:`ctmt_desktop.signing.identity`)."""
