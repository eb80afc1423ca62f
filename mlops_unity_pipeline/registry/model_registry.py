"""What every model registry is: it registers a candidate behind the quality gate and hands out its champion.

Registering has one skeleton, written here once: check the aliases, open a :class:`Draft` of the
new version (the backend finds the current champion and prepares the storage), let the gate
decide, record the metadata, and have the draft store the version. A backend (the file registry,
Vertex AI) supplies only the draft and the champion look-up, and answers with a
:class:`Registration` whichever it is.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

from ..errors import RegistryError
from ..evaluation_report import ChampionModel
from .candidate import Candidate, utc_now
from .quality_gate import CHAMPION_ALIAS, DEFAULT_GATE, Champion, GateDecision, GateSettings, decide
from .registration import Registration

LATEST = "latest"
#: Aliases follow Vertex AI's rules (lower case, start with a letter), so both registries accept the same ones.
ALIAS_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")
#: Names a user alias cannot take: Vertex's own ``default``, and ``latest``, which always means the newest version.
RESERVED_ALIASES = frozenset({"default", LATEST})


def check_alias(alias: str, *, allow_champion: bool = False) -> str:
    """A user alias: Vertex's alias rules, not reserved, and ``champion`` only where the gate is bypassed on purpose."""
    if not isinstance(alias, str) or not ALIAS_PATTERN.fullmatch(alias):
        raise RegistryError(
            f"alias {alias!r} is not allowed; use 2-63 of [a-z0-9-], starting with a letter and not ending with '-'"
        )
    if alias in RESERVED_ALIASES:
        raise RegistryError(f"alias {alias!r} is reserved; choose another name")
    if alias == CHAMPION_ALIAS and not allow_champion:
        raise RegistryError(
            f"alias {CHAMPION_ALIAS!r} is set only by the quality gate or by 'models promote'; choose another name"
        )
    return alias


class Draft(ABC):
    """A version being registered: what the backend knows before the gate decides, and how it stores the version.

    ``champion`` is the current champion the gate compares with (``None``: none yet), ``files``
    the sha256 of each file the version holds, ``metadata`` the backend's own fields of the
    version's metadata (its number, where its artifacts are).
    """

    champion: Champion | None
    files: dict[str, str]
    metadata: dict[str, Any]

    @abstractmethod
    def store(
        self, metadata: dict[str, Any], decision: GateDecision, aliases: tuple[str, ...], promote: bool
    ) -> Registration:
        """Make the version visible with ``metadata`` and ``aliases``, and ``champion`` too when ``promote``."""


class ModelRegistry(ABC):
    """Registers candidates as versions of models, behind the quality gate; see the module docstring."""

    #: The registry's name in messages.
    title: ClassVar[str]
    #: Whether a promotion the gate allows can wait for an approval (``auto_promote=False``).
    approves: ClassVar[bool] = False

    def register(
        self,
        candidate: Candidate,
        *,
        aliases: Sequence[str] = (),
        gate: GateSettings = DEFAULT_GATE,
        auto_promote: bool = True,
    ) -> Registration:
        """Store ``candidate`` as the next version; the quality gate decides whether it becomes champion.

        With ``auto_promote=False`` the gate's decision is recorded but ``champion`` stays where it
        is: promotion then waits for someone (a control-plane approval) to promote it by hand.
        """
        if not auto_promote and not self.approves:
            raise RegistryError(f"promotion by approval is supported with the file registry, not with {self.title}")
        aliases = tuple(check_alias(alias) for alias in aliases)
        with self._draft(candidate) as draft:
            decision = decide(candidate.metadata, draft.champion, gate)
            awaiting = decision.promoted and not auto_promote
            quality_gate = decision.to_dict() | ({"awaiting_approval": awaiting} if self.approves else {})
            metadata = {
                **candidate.metadata,
                **draft.metadata,
                "created_at": utc_now(),
                "files": draft.files,
                "quality_gate": quality_gate,
                "requested_aliases": list(aliases),
            }
            return draft.store(metadata, decision, aliases, promote=decision.promoted and not awaiting)

    @abstractmethod
    def _draft(self, candidate: Candidate) -> AbstractContextManager[Draft]:
        """A draft of ``candidate``'s version, held open while the gate decides; it cleans up if storing fails."""

    @abstractmethod
    def champion_model(self, model_name: str, into: Path) -> ChampionModel | None:
        """The champion's ONNX file (fetched into ``into`` when it is remote); ``None`` when there is no champion yet."""
