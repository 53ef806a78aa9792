import pytest


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    """Cheap password hashing, and whitenoise without a collected STATIC_ROOT
    (it warns, and warnings are errors)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True
