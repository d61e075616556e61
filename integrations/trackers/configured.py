"""Redmine and Jira as the settings describe them: an HTTP client, then the tracker over it.

Whoever builds the client owns it and closes it (`Services.close`, the sync command).
"""

from __future__ import annotations

from typing import Literal

import httpx

from assist import __version__
from assist.errors import InvalidInput
from assist.settings import Settings
from integrations.trackers.jira import JiraConfig, JiraTracker
from integrations.trackers.mapping import TaskMapping
from integrations.trackers.redmine import RedmineConfig, RedmineTracker

RemoteName = Literal["redmine", "jira"]


def tracker_client(settings: Settings, name: RemoteName) -> httpx.Client:
    """A client with the tracker's base URL, credentials and timeouts."""
    headers = {"Accept": "application/json", "User-Agent": f"connect-assist/{__version__}"}
    auth: httpx.Auth | None = None
    if name == "redmine":
        url = _required(settings.redmine_url, "ASSIST_REDMINE_URL")
        headers["X-Redmine-API-Key"] = _required(settings.redmine_api_key, "ASSIST_REDMINE_API_KEY")
    else:
        url = _required(settings.jira_url, "ASSIST_JIRA_URL")
        token = _required(settings.jira_token, "ASSIST_JIRA_TOKEN")
        if settings.jira_user:
            auth = httpx.BasicAuth(settings.jira_user, token)  # Cloud: e-mail and API token
        else:
            headers["Authorization"] = f"Bearer {token}"  # Data Center personal access token
    return httpx.Client(
        base_url=url.rstrip("/"),
        headers=headers,
        auth=auth,
        timeout=settings.tracker_timeout_seconds,
    )


def remote_tracker(
    settings: Settings, name: RemoteName, client: httpx.Client
) -> RedmineTracker | JiraTracker:
    mapping = TaskMapping.extended(settings.tracker_kinds, settings.tracker_statuses)
    if name == "redmine":
        return RedmineTracker(
            client,
            RedmineConfig(
                project=_required(settings.redmine_project, "ASSIST_REDMINE_PROJECT"),
                bug_tracker_id=settings.redmine_bug_tracker_id,
                feature_tracker_id=settings.redmine_feature_tracker_id,
                prefix=settings.redmine_task_prefix,
                watchers_field_id=settings.redmine_watchers_field_id,
                support_user_id=settings.redmine_support_user_id,
            ),
            mapping,
            retries=settings.tracker_retries,
        )
    return JiraTracker(
        client,
        JiraConfig(
            project_key=_required(settings.jira_project_key, "ASSIST_JIRA_PROJECT_KEY"),
            bug_issue_type=settings.jira_bug_issue_type,
            feature_issue_type=settings.jira_feature_issue_type,
            watchers_field=settings.jira_watchers_field,
            support_account=settings.jira_support_account,
            search=settings.jira_search,
        ),
        mapping,
        retries=settings.tracker_retries,
    )


def _required(value: str | None, env: str) -> str:
    if not value:
        raise InvalidInput(f"{env} is not set", errors=[{"field": env, "message": "required"}])
    return value
