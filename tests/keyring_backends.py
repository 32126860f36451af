"""Real keyring backends for tests: in memory, and one that never answers (a locked keyring over SSH)."""

from __future__ import annotations

import threading

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest


class _TestOnly(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]
    # Never picked by keyring's own backend detection: only set with keyring.set_keyring.
    viable = False  # type: ignore[assignment]


class MemoryKeyring(_TestOnly):
    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.reads = 0
        self.writes = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")


class BlockingKeyring(_TestOnly):
    """Every call waits until `release()`: like a keyring waiting for an unlock prompt nobody sees."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.calls = 0

    def _wait(self, *args: object) -> None:
        self.calls += 1
        self.gate.wait(30)
        return None

    get_password = set_password = delete_password = _wait  # type: ignore[assignment]

    def release(self) -> None:
        self.gate.set()


class AskingKeyring(MemoryKeyring):
    """Like keyrings.cryptfile: locked until its `keyring_key` property has asked the person for the password."""

    password = "correct horse"

    def __init__(self, answer: str = password) -> None:
        super().__init__()
        self.answer = answer
        self.asked_on: list[str] = []  # the thread each question was asked on
        self._key: str | None = None

    @property
    def keyring_key(self) -> str:
        if self._key is None:
            self.asked_on.append(threading.current_thread().name)
            if self.answer != self.password:
                raise ValueError("Incorrect Password")
            self._key = self.answer
        return self._key

    def get_password(self, service: str, username: str) -> str | None:
        if self._key is None:  # cryptfile would prompt here, in whatever thread asked
            raise keyring.errors.KeyringLocked("the encrypted keyring asks for its password")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.get_password(service, username)
        super().set_password(service, username, password)


class LockedKeyring(_TestOnly):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


def _installed(backend):
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def memory_keyring():
    yield from _installed(MemoryKeyring())


@pytest.fixture
def blocking_keyring():
    backend = BlockingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release()
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def fail_keyring():
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield


@pytest.fixture
def asking_keyring():
    yield from _installed(AskingKeyring())
