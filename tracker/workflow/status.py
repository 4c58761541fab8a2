"""The status scale: the one definition of every status, its label, meaning, weight and symbol."""
from __future__ import annotations

from dataclasses import dataclass

from tracker.core.enums import LabelledEnum


class Status(LabelledEnum):
    NIET_BEOORDEELD = "niet_beoordeeld", "Niet beoordeeld"
    NIET_GESTART = "niet_gestart", "Niet gestart"
    IN_VOORBEREIDING = "in_voorbereiding", "In voorbereiding"
    IN_UITVOERING = "in_uitvoering", "In uitvoering"
    VASTGELOPEN = "vastgelopen", "Vastgelopen"
    GEDEELTELIJK = "gedeeltelijk", "Gedeeltelijk gerealiseerd"
    GEREALISEERD = "gerealiseerd", "Gerealiseerd"
    NIET_GEREALISEERD = "niet_gerealiseerd", "Niet gerealiseerd"
    NIET_TOETSBAAR = "niet_toetsbaar", "Niet toetsbaar"

    @property
    def info(self) -> "StatusInfo":
        return STATUS_INFO[self]

    @property
    def symbol(self) -> str:
        return STATUS_INFO[self].symbol

    @property
    def weight(self) -> int | None:
        return STATUS_INFO[self].weight

    @property
    def definition(self) -> str:
        return STATUS_INFO[self].definition


@dataclass(frozen=True)
class StatusInfo:
    symbol: str
    weight: int | None  # None: not counted in the progress percentage
    definition: str
    needs_evidence: bool = False
    needs_motivation: bool = False


STATUS_INFO: dict[Status, StatusInfo] = {
    Status.NIET_BEOORDEELD: StatusInfo(
        "?", None, "Het engagement is nog niet beoordeeld: we hebben er nog geen uitspraak over gedaan."
    ),
    Status.NIET_GESTART: StatusInfo(
        "○", 0, "Er is nog geen beslissing, project of ander initiatief gevonden dat het engagement uitvoert."
    ),
    Status.IN_VOORBEREIDING: StatusInfo(
        "◔", 10, "De regering bereidt de uitvoering voor: een conceptnota, studie, ontwerp of budget is er, maar de uitvoering is nog niet begonnen."
    ),
    Status.IN_UITVOERING: StatusInfo(
        "◑", 40, "De uitvoering loopt: er zijn beslissingen genomen of projecten gestart, maar het resultaat is er nog niet."
    ),
    Status.VASTGELOPEN: StatusInfo(
        "⚠", 20, "De uitvoering was begonnen maar staat stil: een beslissing, budget of partner ontbreekt.",
        needs_motivation=True,
    ),
    Status.GEDEELTELIJK: StatusInfo(
        "◕", 50, "Een deel van het engagement is gerealiseerd; een ander deel (nog) niet.", True, True
    ),
    Status.GEREALISEERD: StatusInfo(
        "●", 100, "Het engagement is volledig gerealiseerd, gestaafd met een beslissing, project of bron.", True, True
    ),
    Status.NIET_GEREALISEERD: StatusInfo(
        "✕", 0, "Het engagement is niet gerealiseerd en wordt dat binnen de legislatuur ook niet meer; de reden staat erbij.", True, True
    ),
    Status.NIET_TOETSBAAR: StatusInfo(
        "–", None, "Het engagement is te vaag of valt buiten wat we kunnen nagaan; we zeggen waarom.",
        needs_motivation=True,
    ),
}


class NotRealisedReason(LabelledEnum):
    GEEN_PRIORITEIT = "geen_prioriteit", "Geen prioriteit"
    STANDPUNT_GEWIJZIGD = "standpunt_gewijzigd", "Gewijzigd standpunt"
    GEEN_MEERDERHEID = "geen_meerderheid", "Geen meerderheid"
    BUDGETTAIR = "budgettair", "Budgettaire redenen"
    BUITEN_BEVOEGDHEID = "buiten_bevoegdheid", "Buiten Vlaamse bevoegdheid"
    ANDERE = "andere", "Andere reden"



# From each status, the statuses one may move to. Final verdicts can still be
# revised (new decisions appear), but a final verdict cannot fall back to
# "niet beoordeeld": history keeps what was assessed.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NIET_BEOORDEELD: frozenset(set(Status) - {Status.NIET_BEOORDEELD}),
    Status.NIET_GESTART: frozenset({
        Status.IN_VOORBEREIDING, Status.IN_UITVOERING, Status.GEDEELTELIJK,
        Status.GEREALISEERD, Status.NIET_GEREALISEERD, Status.NIET_TOETSBAAR,
    }),
    Status.IN_VOORBEREIDING: frozenset({
        Status.NIET_GESTART, Status.IN_UITVOERING, Status.VASTGELOPEN, Status.GEDEELTELIJK,
        Status.GEREALISEERD, Status.NIET_GEREALISEERD, Status.NIET_TOETSBAAR,
    }),
    Status.IN_UITVOERING: frozenset({
        Status.VASTGELOPEN, Status.GEDEELTELIJK, Status.GEREALISEERD,
        Status.NIET_GEREALISEERD, Status.NIET_TOETSBAAR,
    }),
    Status.VASTGELOPEN: frozenset({
        Status.IN_VOORBEREIDING, Status.IN_UITVOERING, Status.GEDEELTELIJK,
        Status.GEREALISEERD, Status.NIET_GEREALISEERD,
    }),
    Status.GEDEELTELIJK: frozenset({
        Status.IN_UITVOERING, Status.VASTGELOPEN, Status.GEREALISEERD, Status.NIET_GEREALISEERD,
    }),
    Status.GEREALISEERD: frozenset({Status.GEDEELTELIJK}),
    Status.NIET_GEREALISEERD: frozenset({Status.IN_UITVOERING, Status.GEDEELTELIJK, Status.GEREALISEERD}),
    Status.NIET_TOETSBAAR: frozenset({Status.NIET_BEOORDEELD}),
}


def is_allowed(old: Status, new: Status) -> bool:
    return new in ALLOWED_TRANSITIONS[old]
