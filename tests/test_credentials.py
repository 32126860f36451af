"""Credential resolution against real keyring backends: in memory, the fail backend, a locked one."""

from __future__ import annotations

import json
import time

import pytest

from keyring_backends import (  # noqa: F401
    AskingKeyring,
    LockedKeyring,
    asking_keyring,
    blocking_keyring,
    fail_keyring,
    memory_keyring,
)
from tui import credentials
from tui.credentials import SERVICE, Credentials, check_url, resolve
from tui.zoho.errors import CredentialsError, UsageError

SECRET = "secret-4b1d"
REFRESH = "1000.refresh-77aa"
ACCESS = "1000.access-99cc"
ENV = {"ZOHO_CLIENT_ID": "1000.CLIENT", "ZOHO_CLIENT_SECRET": SECRET, "ZOHO_REFRESH_TOKEN": REFRESH}
WAYS_OUT = ("ZOHO_CLIENT_ID", "keyrings.cryptfile", "keyrings.alt", "PYTHON_KEYRING_BACKEND",
            "dbus-run-session", "gnome-keyring-daemon --unlock")


def stored(backend, profile="default", **fields):
    blob = {"client_id": "1000.STORED", "client_secret": SECRET, "refresh_token": REFRESH, "dc": "eu"}
    blob.update(fields)
    backend.entries[(SERVICE, profile)] = json.dumps(blob)


def assert_ways_out(error: CredentialsError):
    """The ways out are said once, in the hint; the message says only what failed."""
    for way in WAYS_OUT:
        assert way in error.hint, way
        assert way not in error.message, way


def assert_no_secret(*texts: str):
    for text in texts:
        for secret in (SECRET, REFRESH, ACCESS):
            assert secret not in text


# --- environment -------------------------------------------------------------------


def test_environment_wins_over_keyring(memory_keyring):
    stored(memory_keyring)
    creds = resolve(env=ENV)
    assert (creds.source, creds.client_id, creds.client_secret, creds.refresh_token) == ("env", "1000.CLIENT", SECRET, REFRESH)
    assert creds.dc == "us" and creds.accounts_url == "https://accounts.zoho.com"
    assert creds.api_domain is None and creds.default_api_domain == "https://www.zohoapis.com"
    assert memory_keyring.reads == 0  # first found wins: the keyring is not even asked


def test_environment_overrides_hosts_and_dc(fail_keyring):
    env = dict(ENV, ZOHO_DC="eu", ZOHO_API_DOMAIN="http://127.0.0.1:8765/", ZOHO_ACCOUNTS_URL="http://localhost:8765")
    creds = resolve(env=env)
    assert creds.dc == "eu"
    assert creds.api_domain == "http://127.0.0.1:8765" and creds.api_domain_pinned
    assert creds.accounts_url == "http://localhost:8765"


def test_arguments_override_environment(fail_keyring):
    env = dict(ENV, ZOHO_DC="eu", ZOHO_API_DOMAIN="https://env.example")
    creds = resolve(dc="in", api_domain="https://flag.example", env=env)
    assert creds.dc == "in" and creds.accounts_url == "https://accounts.zoho.in"
    assert creds.api_domain == "https://flag.example"


def test_unknown_data_center_is_a_usage_error(fail_keyring):
    with pytest.raises(UsageError, match="Unknown data center"):
        resolve(dc="mars", env=ENV)


def test_plain_http_override_to_a_remote_host_is_refused(fail_keyring):
    with pytest.raises(UsageError, match="loopback"):
        resolve(env=dict(ENV, ZOHO_API_DOMAIN="http://crm.example.com"))


# --- the keyring --------------------------------------------------------------------


def test_keyring_entry_of_the_profile(memory_keyring):
    stored(memory_keyring, profile="work", access_token=ACCESS, access_token_expires_at=1234.5,
           api_domain="https://www.zohoapis.eu")
    creds = resolve("work", env={})
    assert creds.source == "keyring" and creds.profile == "work"
    assert creds.client_id == "1000.STORED" and creds.refresh_token == REFRESH
    assert creds.dc == "eu" and creds.accounts_url == "https://accounts.zoho.eu"
    assert creds.api_domain == "https://www.zohoapis.eu" and not creds.api_domain_pinned
    assert (creds.access_token, creds.access_token_expires_at) == (ACCESS, 1234.5)


def test_partial_environment_falls_back_to_the_keyring(memory_keyring):
    stored(memory_keyring)
    creds = resolve(env={"ZOHO_CLIENT_ID": "1000.CLIENT"})
    assert creds.source == "keyring"


def test_another_data_center_ignores_the_stored_hosts_and_token(memory_keyring):
    stored(memory_keyring, access_token=ACCESS, access_token_expires_at=1e12,
           api_domain="https://www.zohoapis.eu", accounts_url="https://accounts.zoho.eu")
    creds = resolve(dc="jp", env={})
    assert creds.accounts_url == "https://accounts.zoho.jp" and creds.default_api_domain == "https://www.zohoapis.jp"
    assert creds.access_token is None


def test_store_then_resolve_then_forget(memory_keyring):
    creds = Credentials("1000.X", SECRET, REFRESH, dc="au", profile="p", source="keyring")
    credentials.store(creds)
    blob = json.loads(memory_keyring.entries[(SERVICE, "p")])
    assert set(blob) == {"client_id", "client_secret", "refresh_token", "dc", "accounts_url", "api_domain",
                         "access_token", "access_token_expires_at"}
    again = resolve("p", env={})
    assert (again.client_id, again.client_secret, again.refresh_token, again.dc) == ("1000.X", SECRET, REFRESH, "au")
    assert credentials.forget("p") is True
    assert credentials.forget("p") is False
    with pytest.raises(CredentialsError) as caught:
        resolve("p", env={})
    assert caught.value.code == "NO_CREDENTIALS"


def test_cache_access_token_updates_only_the_matching_entry(memory_keyring):
    stored(memory_keyring)
    assert credentials.cache_access_token("default", refresh_token=REFRESH, access_token=ACCESS, expires_at=99.0,
                                          api_domain="https://www.zohoapis.eu")
    blob = json.loads(memory_keyring.entries[(SERVICE, "default")])
    assert (blob["access_token"], blob["access_token_expires_at"], blob["client_secret"]) == (ACCESS, 99.0, SECRET)
    # The person logged in again meanwhile: a token of the old refresh token must not land there.
    assert not credentials.cache_access_token("default", refresh_token="1000.other", access_token="x",
                                              expires_at=1.0, api_domain=None)
    assert json.loads(memory_keyring.entries[(SERVICE, "default")])["access_token"] == ACCESS


def test_nothing_anywhere_is_no_credentials(memory_keyring):
    with pytest.raises(CredentialsError) as caught:
        resolve(env={"ZOHO_CLIENT_ID": "1000.CLIENT"})
    error = caught.value
    assert error.code == "NO_CREDENTIALS"
    assert "ZOHO_CLIENT_SECRET" in error.message and "ZOHO_REFRESH_TOKEN" in error.message
    assert "auth login" in error.hint and "auth login" not in error.message  # said once


@pytest.mark.parametrize("text", ["not json", "[]", '{"client_id": "x"}', '{"client_id": 1, "client_secret": "s", "refresh_token": "r"}'])
def test_corrupt_keyring_entry(memory_keyring, text):
    memory_keyring.entries[(SERVICE, "default")] = text
    with pytest.raises(CredentialsError) as caught:
        resolve(env={})
    assert caught.value.code == "KEYRING"
    assert "auth login" in caught.value.message


def test_no_keyring_backend_names_the_ways_out(fail_keyring):
    with pytest.raises(CredentialsError) as caught:
        resolve(env={})
    error = caught.value
    assert error.code == "KEYRING"
    assert "no keyring backend" in error.message
    assert_ways_out(error)
    assert "keyrings.cryptfile" in error.hint


def test_locked_keyring_names_the_ways_out():
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(LockedKeyring())
    try:
        with pytest.raises(CredentialsError) as caught:
            resolve(env={})
    finally:
        keyring.set_keyring(keyring.backends.fail.Keyring())
    assert caught.value.code == "KEYRING" and "locked" in caught.value.message
    assert_ways_out(caught.value)


def test_a_keyring_that_never_answers_times_out_quickly(blocking_keyring):
    started = time.monotonic()
    with pytest.raises(CredentialsError) as caught:
        resolve(env={}, timeout=0.1)
    assert time.monotonic() - started < 1.0
    assert caught.value.code == "KEYRING"
    assert "the keyring did not answer in 0.1 s" in caught.value.message.lower()
    assert_ways_out(caught.value)
    assert blocking_keyring.calls == 1


def test_store_on_a_blocking_keyring_times_out(blocking_keyring):
    with pytest.raises(CredentialsError, match="did not answer"):
        credentials.store(Credentials("id", SECRET, REFRESH), timeout=0.05)


def test_environment_needs_no_keyring_at_all(blocking_keyring):
    assert resolve(env=ENV, timeout=0.05).source == "env"
    assert blocking_keyring.calls == 0


# --- file keyrings that ask for their own password (keyrings.cryptfile) -----------------


def test_unlock_lets_a_file_keyring_ask_on_this_thread_once(asking_keyring):
    stored(asking_keyring)
    with pytest.raises(CredentialsError, match="locked"):
        resolve(env={})  # in the bounded worker thread nobody could answer the question
    credentials.unlock()
    credentials.unlock()
    assert asking_keyring.asked_on == ["MainThread"]
    assert resolve(env={}).source == "keyring"


def test_a_refused_keyring_password_names_the_ways_out(asking_keyring):
    asking_keyring.answer = "wrong"
    with pytest.raises(CredentialsError) as caught:
        credentials.unlock()
    assert caught.value.code == "KEYRING"
    assert "AskingKeyring did not accept the password" in caught.value.message
    assert_ways_out(caught.value)
    assert "wrong" not in caught.value.message


def test_unlock_leaves_other_keyrings_alone(memory_keyring):
    credentials.unlock()
    assert memory_keyring.reads == memory_keyring.writes == 0


def test_unlock_on_a_keyring_that_hangs_while_opening_times_out(blocking_keyring, monkeypatch):
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: blocking_keyring.get_password("", ""))
    with pytest.raises(CredentialsError, match="did not answer"):
        credentials.unlock(timeout=0.05)


# --- secrets stay secret -------------------------------------------------------------


def test_secrets_never_in_repr_or_str(memory_keyring):
    stored(memory_keyring, access_token=ACCESS, access_token_expires_at=5.0)
    creds = resolve(env={})
    assert_no_secret(repr(creds), str(creds))
    assert "1000.STORED" in repr(creds)  # the client id is not a secret and helps


def test_errors_never_carry_secrets(memory_keyring):
    memory_keyring.entries[(SERVICE, "default")] = json.dumps({"client_id": SECRET, "client_secret": REFRESH})
    with pytest.raises(CredentialsError) as caught:
        resolve(env={})
    assert_no_secret(str(caught.value), repr(caught.value), caught.value.hint)


# --- URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://www.zohoapis.eu", "https://www.zohoapis.eu/", "http://127.0.0.1:8765", "http://127.9.9.9",
     "http://[::1]:8000", "http://localhost:1234", "https://sandbox.zohoapis.com"],
)
def test_check_url_accepts(url):
    assert check_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://www.zohoapis.com", "http://10.0.0.1", "http://0.0.0.0:80", "ftp://accounts.zoho.com",
     "www.zohoapis.com", "", "https://user:pw@www.zohoapis.com", "https://www.zohoapis.com?x=1",
     "http://localhost.evil.com", "https://host:99999"],
)
def test_check_url_refuses(url):
    with pytest.raises(UsageError):
        check_url(url)


# --- the access-token cache file (credentials from the environment) ----------------------------


def env_creds(**fields) -> Credentials:
    return Credentials("1000.CLIENT", SECRET, REFRESH, **fields)


def private_dir(path):
    path.mkdir(mode=0o700)
    path.chmod(0o700)
    return path


def test_the_cache_lives_in_the_runtime_dir_when_it_is_private(tmp_path, monkeypatch):
    runtime = private_dir(tmp_path / "run")
    assert credentials.token_cache_dir({"XDG_RUNTIME_DIR": str(runtime)}) == runtime / "crm-emails"
    runtime.chmod(0o755)  # not private: the platform's cache folder instead
    assert credentials.token_cache_dir({"XDG_RUNTIME_DIR": str(runtime)}) == tmp_path / "cache" / "crm-emails"
    for unusable in ("", "relative/run", str(tmp_path / "missing")):
        assert credentials.token_cache_dir({"XDG_RUNTIME_DIR": unusable}) == tmp_path / "cache" / "crm-emails"


def test_the_cache_holds_only_the_access_token_privately(tmp_path):
    env = {"XDG_RUNTIME_DIR": str(private_dir(tmp_path / "run"))}
    creds = env_creds(dc="eu")
    path = credentials.write_token_cache(creds, access_token=ACCESS, expires_at=1234.5,
                                         api_domain="https://www.zohoapis.eu", env=env)
    assert path.parent == tmp_path / "run" / "crm-emails"
    assert path.parent.stat().st_mode & 0o777 == 0o700 and path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text()) == {"access_token": ACCESS, "expires_at": 1234.5,
                                            "api_domain": "https://www.zohoapis.eu"}
    assert_no_secret(path.name)  # named by a hash: never the refresh token
    assert SECRET not in path.read_text() and REFRESH not in path.read_text()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # the temporary file was renamed
    cached = credentials.read_token_cache(creds, env)
    assert (cached.access_token, cached.expires_at, cached.api_domain) == (ACCESS, 1234.5, "https://www.zohoapis.eu")
    assert_no_secret(repr(cached))
    # Other credentials (another refresh token, another Accounts host) have their own file.
    assert credentials.read_token_cache(Credentials("1000.CLIENT", SECRET, "1000.other"), env) is None
    assert credentials.read_token_cache(env_creds(dc="in"), env) is None
    assert credentials.forget_token_cache(creds, env) and not credentials.forget_token_cache(creds, env)


def test_a_cache_file_others_can_read_or_that_is_garbage_is_ignored(tmp_path):
    env = {"XDG_RUNTIME_DIR": str(private_dir(tmp_path / "run"))}
    creds = env_creds()
    path = credentials.write_token_cache(creds, access_token=ACCESS, expires_at=99.0, api_domain=None, env=env)
    path.chmod(0o644)
    assert credentials.read_token_cache(creds, env) is None
    for garbage in ("not json", "[]", '{"access_token": 5, "expires_at": 1}', '{"access_token": "a"}',
                    '{"access_token": "a", "expires_at": 1, "api_domain": "http://evil.example"}',
                    "[" * 100_000):
        path.write_text(garbage)
        path.chmod(0o600)
        assert credentials.read_token_cache(creds, env) is None
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.json")
    assert credentials.read_token_cache(creds, env) is None


def test_a_shared_cache_folder_is_made_private(tmp_path):
    env = {"XDG_RUNTIME_DIR": str(private_dir(tmp_path / "run"))}
    folder = tmp_path / "run" / "crm-emails"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    credentials.write_token_cache(env_creds(), access_token=ACCESS, expires_at=1.0, api_domain=None, env=env)
    assert folder.stat().st_mode & 0o777 == 0o700


def test_environment_credentials_come_with_their_cached_token(fail_keyring, tmp_path):
    creds = resolve(env=ENV)
    credentials.write_token_cache(creds, access_token=ACCESS, expires_at=4321.0, api_domain="https://www.zohoapis.eu")
    again = resolve(env=ENV)
    assert (again.access_token, again.access_token_expires_at) == (ACCESS, 4321.0)
    assert again.api_domain == "https://www.zohoapis.eu" and not again.api_domain_pinned
    pinned = resolve(env=dict(ENV, ZOHO_API_DOMAIN="https://pinned.example"))
    assert pinned.api_domain == "https://pinned.example" and pinned.api_domain_pinned


def test_the_keyring_is_named_for_what_it_is():
    class PlaintextKeyring:
        file_path = "/home/ada/.local/share/python_keyring/keyring_pass.cfg"

    class SecretService:
        pass

    class ChainerBackend:
        backends = [PlaintextKeyring()]

    assert credentials.describe_backend(PlaintextKeyring()) == (
        "a plaintext file keyring, unencrypted (/home/ada/.local/share/python_keyring/keyring_pass.cfg)"
    )
    assert credentials.describe_backend(SecretService()) == "the desktop keyring (Secret Service)"
    assert credentials.describe_backend(ChainerBackend()).startswith("a plaintext file keyring")
    assert "OS keyring" not in credentials.describe_backend(object())
    assert credentials.describe_backend(object()) == "the keyring backend builtins.object"
