"""Actions rules run. Importing this package registers the built-in ones."""

from amity.automation.actions import channels, records, sequences  # noqa: F401
from amity.automation.actions.registry import (
    ActionContext,
    ActionNotAvailable,
    ActionType,
    Param,
    action_type,
    action_types,
    clean_actions,
    describe_action,
    register_action,
    wire_action,
)

__all__ = ["ActionContext", "ActionNotAvailable", "ActionType", "Param", "action_type",
           "action_types", "clean_actions", "describe_action", "register_action",
           "wire_action"]
