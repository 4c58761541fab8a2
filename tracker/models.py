"""Imports every model module so that metadata is complete (Alembic, tests)."""
import tracker.workflow.guard  # noqa: F401,E402  (registers the status guard)
from tracker.accounts.models import Role, User  # noqa: F401
from tracker.audit.models import LogEntry  # noqa: F401
from tracker.claims.models import Measure, StatedClaim  # noqa: F401
from tracker.commitments.models import Commitment, Level, Link, Relation  # noqa: F401
from tracker.core.db import Base  # noqa: F401
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind  # noqa: F401
from tracker.projects.models import (  # noqa: F401
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.search.models import IndexQueueItem  # noqa: F401
from tracker.sources.models import Source, SourceKind  # noqa: F401
from tracker.suggest.models import SuggestedLink, SuggestionOrigin, SuggestionState  # noqa: F401
from tracker.workflow.models import (  # noqa: F401
    Evidence,
    ProposalState,
    StatusChange,
    StatusProposal,
)
