"""Log and error strings, in one place. Never put a staff member's free text in one."""

DECISION_NOT_RECORDED = "decision not recorded (topic %s): %s"
QUERY_NOT_LOGGED = "query not logged: %s"
PROGRESS_NOT_LOGGED = "flow progress not logged: %s"
QUERIES_PURGED = "query log: %d records older than %d days deleted"
QUERY_PURGE_FAILED = "query log purge failed: %s"
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
TEAMS_DISABLED = (
    "Teams is not configured: set INFOSHARE_TEAMS_APP_ID and INFOSHARE_TEAMS_APP_PASSWORD "
    "(and INFOSHARE_TEAMS_TENANT_ID) to serve /api/messages"
)
TEAMS_EMULATOR = (
    "TEAMS EMULATOR MODE: /api/messages accepts requests WITHOUT AUTHENTICATION. For the Bot "
    "Framework Emulator on this machine only; never expose this server."
)
TEAMS_REJECTED = "teams request rejected (%s): %s"
TEAMS_CALL_FAILED = "teams %s failed: %s"
TEAMS_RETRYING = "teams %s throttled (429); retrying in %.1f s"
TEAMS_TURN_FAILED = "teams turn failed (%s): %s"
TEAMS_DUPLICATE = "teams %s activity already handled; acknowledged again"
TEAMS_TOKEN_FAILED = "teams access token request failed: %s"
TEAMS_INSTALLED = "teams app installed in a %s conversation"
TEAMS_UNINSTALLED = "teams app removed from a conversation"

# The analytics dashboard. Never the token, never a filter's text.
ANALYST_SIGN_IN_FAILED = "analytics sign-in failed from %s (%d in a row)"
ANALYST_THROTTLED = "analytics sign-in refused from %s: too many failures"
ANALYTICS_FAILED = "analytics counts failed: %s"
ANALYTICS_EXPORT_FAILED = "analytics export failed: %s"
