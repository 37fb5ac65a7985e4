"""Configuration, built once from ``INFOSHARE_*`` environment variables and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SLACK_PAIR = ("INFOSHARE_SLACK_SIGNING_SECRET", "INFOSHARE_SLACK_BOT_TOKEN")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INFOSHARE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///infoshare.db",
        description="Where decisions are logged: sqlite:///PATH, relative to the working folder.",
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        description="Key for staff pseudonyms (16+ characters). Unset: generated and kept "
        "beside the database.",
    )
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE, description="The knowledge folder.")
    log_level: str = "WARNING"

    # Slack: on when both the signing secret and the bot token are set.
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        description="The Slack app's signing secret (Basic Information > App Credentials).",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, description="Slack bot token, xoxb-... (OAuth & Permissions)."
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        description="Slack app-level token, xapp-...: set it to use Socket Mode instead of a "
        "public HTTPS URL.",
    )
    slack_ig_channel: str | None = Field(
        default=None, description="Slack channel id the IG team's hand-offs are posted to."
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack Web API base URL (tests change it)."
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        if value.upper() not in levels:
            raise ValueError(f"INFOSHARE_LOG_LEVEL must be one of {', '.join(levels)}")
        return value.upper()

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith("sqlite:///") or value == "sqlite:///":
            raise ValueError(
                "INFOSHARE_DATABASE_URL must look like sqlite:///PATH "
                "(PostgreSQL is not supported yet)"
            )
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("INFOSHARE_PSEUDONYM_KEY must be at least 16 characters")
        return value

    @field_validator("slack_bot_token", "slack_app_token", "slack_signing_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("INFOSHARE_SLACK_BOT_TOKEN must be a bot token, starting xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("INFOSHARE_SLACK_APP_TOKEN must be an app-level token, starting xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("INFOSHARE_SLACK_API_URL must be an http(s) URL")
        return value if value.endswith("/") else value + "/"  # the SDK appends method names

    @model_validator(mode="after")
    def _slack_whole_or_absent(self) -> Settings:
        present = (self.slack_signing_secret is not None, self.slack_bot_token is not None)
        if any(present) and not all(present):
            missing = SLACK_PAIR[present.index(False)]
            raise ValueError(f"{missing} is not set: Slack needs both {' and '.join(SLACK_PAIR)}")
        if self.slack_app_token is not None and not self.slack_enabled:
            needs = " and ".join(SLACK_PAIR)
            raise ValueError(f"INFOSHARE_SLACK_APP_TOKEN is set but {needs} are not")
        return self

    @property
    def slack_enabled(self) -> bool:
        return self.slack_signing_secret is not None and self.slack_bot_token is not None

    @property
    def database_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))
