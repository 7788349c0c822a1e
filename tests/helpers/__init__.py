"""Helpers the tests import (conftest.py files only define fixtures and are never imported)."""
