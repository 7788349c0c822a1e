"""pytest plugins of this suite, registered by tests/conftest.py."""
