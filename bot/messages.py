"""Log and error strings, in one place. Never put a staff member's free text in one."""

DECISION_NOT_RECORDED = "decision not recorded (topic %s): %s"
KNOWLEDGE_LOADED = "knowledge %s loaded from %s: %d flows, %d snippets"
JSON_TURN_FAILED = "turn on input line %d failed: %s"

# Adapters: the HTTP server and Slack. Ids, method names and error codes only, never text.
BACKGROUND_FAILED = "background work %s failed: %s"
BACKGROUND_CANCELLED = "shutting down: %d background tasks cancelled"
SERVING = "serving on http://%s:%d (platforms: %s)"
NOT_READY = "not ready: %s"
SLACK_DISABLED = (
    "Slack is not configured: set INFOSHARE_SLACK_SIGNING_SECRET and "
    "INFOSHARE_SLACK_BOT_TOKEN to enable it"
)
SLACK_REJECTED = "slack request rejected (%s): %s"
SLACK_CALL_FAILED = "slack %s failed: %s"
SLACK_TURN_FAILED = "slack turn failed (%s): %s"
SLACK_DUPLICATE = "slack %s already handled; acknowledged again"
SLACK_SOCKET_MODE = "slack socket mode connected"
