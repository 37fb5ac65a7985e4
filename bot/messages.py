"""Log and error strings, in one place. Never put a staff member's free text in one."""

DECISION_NOT_RECORDED = "decision not recorded (topic %s): %s"
QUERY_NOT_LOGGED = "query not logged: %s"
PROGRESS_NOT_LOGGED = "flow progress not logged: %s"
QUERIES_PURGED = "query log: %d records older than %d days deleted"
QUERY_PURGE_FAILED = "query log purge failed: %s"
QUERIES_REDACTED_AGAIN = "query log: redaction rules %s run over %d records, %d rewritten"
QUERIES_WITHHELD = "query log: %d records withheld from the dashboard"
QUERY_WITHHOLD_FAILED = "query log: withholding records failed: %s"
QUERY_REDACT_AGAIN_FAILED = "query log: redacting again failed (tried at the next start): %s"
KNOWLEDGE_LOADED = "knowledge %s loaded from %s: %d flows, %d snippets"
JSON_TURN_FAILED = "turn on input line %d failed: %s"
SEEN_CHECK_FAILED = "retry check failed (%s): delivery handled as new"
SHELF_FAILED = "shelf %s failed (%s): carrying on without it"

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
WEB_CHAT_DISABLED = "web chat turned off (INFOSHARE_WEB_CHAT=false): /chat is not served"
WEB_TURN_FAILED = "web chat turn failed: %s"
WEB_REFUSED = "web chat request refused (%s)"

# Policy reminders on the platforms. Destinations by platform, error codes, pseudonyms only.
REMINDER_NOT_DELIVERED = "reminder to a %s destination %s: %s"
REMINDER_GONE_FORGOTTEN = "teams conversation gone (%s): its reference was forgotten"
IG_GROUP_UNREADABLE = "IG user group could not be read: %s"
REMINDERS_RUNNING = "reminders: scheduler running every %.0f s (platforms: %s)"

# Policy reminders: ids, slots and error codes only.
REMINDER_SEND_FAILED = "reminder to a %s destination failed: %s"
REMINDER_SLOT_SENT = "reminder schedule %d slot %s: %d sent, %d gone, %d failed"
REMINDER_SLOT_MISSED = "reminder schedule %d slot %s missed (more than %d minutes late)"
REMINDER_SLOT_UNKNOWN = "reminder schedule %d: reminder %s no longer exists"
REMINDER_TICK_FAILED = "reminder scheduler tick failed: %s"
REMINDER_SLOT_FAILED = "reminder schedule %d: slot not sent (%s); retried on the next tick"
REMINDER_COMMAND_FAILED = "reminder command %s failed: %s"
REMINDER_REFUSED = "reminder command refused: %s is not in the IG team (%s)"
REMINDER_DIGEST_SENT = "review digest built: %d stale snippets, %d broken links"

# The analytics dashboard. Never the token, never a filter's text.
ANALYST_SIGN_IN_FAILED = "analytics sign-in failed from %s (%d in a row)"
ANALYST_THROTTLED = "analytics sign-in refused from %s: too many failures"
ANALYTICS_FAILED = "analytics counts failed: %s"
ANALYTICS_EXPORT_FAILED = "analytics export failed: %s"
