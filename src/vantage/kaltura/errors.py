"""Kaltura's API errors: codes, named arguments and message templates, as Kaltura words them.

An :class:`ErrorType` is one entry of Kaltura's catalog (``"CODE;ARG1,ARG2;message @ARG1@"``);
calling it with the argument values makes the :class:`APIException` to raise. Handlers raise
these; anything else a handler raises becomes ``INTERNAL_SERVERL_ERROR`` (sic).
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.kaltura.values import php_string


class APIException(Exception):
    """A Kaltura API error: ``code``, ``message`` and ordered named ``arguments``."""

    def __init__(
        self,
        code: str,
        message: str,
        arguments: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.arguments = arguments
        # Extra HTTP headers Kaltura sends with this error (SERVICE_FORBIDDEN only).
        self.headers = headers or {}


@dataclass(frozen=True)
class ErrorType:
    code: str
    arg_names: tuple[str, ...]
    template: str

    def __call__(self, *values: object) -> APIException:
        if len(values) != len(self.arg_names):
            raise TypeError(f"{self.code} takes {len(self.arg_names)} arguments")
        arguments = {n: php_string(v) for n, v in zip(self.arg_names, values, strict=True)}
        message = self.template
        for name, value in arguments.items():
            message = message.replace(f"@{name}@", value)
        return APIException(self.code, message, arguments)


def _error(code: str, args: str, template: str) -> ErrorType:
    return ErrorType(code, tuple(a for a in args.split(",") if a), template)


MISSING_KS = _error("MISSING_KS", "", "Missing KS, session not established")
INVALID_KS = _error(
    "INVALID_KS", "KSID,ERR_CODE,ERR_DESC", 'Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"'
)
SERVICE_FORBIDDEN = _error(
    "SERVICE_FORBIDDEN", "SERVICE", "The access to service [@SERVICE@] is forbidden"
)
SERVICE_NOT_SPECIFIED = _error(
    "SERVICE_NOT_SPECIFIED", "", "Service name was not specified, please specify one"
)
SERVICE_DOES_NOT_EXISTS = _error(
    "SERVICE_DOES_NOT_EXISTS", "SRV_NAME", 'Service "@SRV_NAME@" does not exists'
)
ACTION_DOES_NOT_EXISTS = _error(
    "ACTION_DOES_NOT_EXISTS",
    "ACTION_NAME,SERVICE_NAME",
    'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
)
MISSING_MANDATORY_PARAMETER = _error(
    "MISSING_MANDATORY_PARAMETER", "PARAM_NAME", 'Missing parameter "@PARAM_NAME@"'
)
INVALID_ENUM_VALUE = _error(
    "INVALID_ENUM_VALUE",
    "ENUM_VAL,PARAM_NAME,ENUM_TYPE",
    'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", '
    'expecting enumeration type "@ENUM_TYPE@"',
)
INVALID_OBJECT_TYPE = _error(
    "INVALID_OBJECT_TYPE", "INVALID_OBJ_TYPE", 'Invalid object type "@INVALID_OBJ_TYPE@"'
)
PROPERTY_VALIDATION_WRONG_FORMAT = _error(
    "PROPERTY_VALIDATION_WRONG_FORMAT",
    "PROP_NAME,FORMAT",
    'The property "@PROP_NAME@" must match format @FORMAT@',
)
INVALID_PARAMETER_VALUE = _error(
    "INVALID_PARAMETER_VALUE", "PARAM_NAME", 'invalid value for parameter "@PARAM_NAME@"'
)
INTERNAL_SERVERL_ERROR = _error("INTERNAL_SERVERL_ERROR", "", "Internal server error occurred")
START_SESSION_ERROR = _error(
    "START_SESSION_ERROR", "PID", "Error while starting session for partner [@PID@]"
)
UNKNOWN_ROLE_ID = _error("UNKNOWN_ROLE_ID", "", "Unknown role id")
INVALID_ACTIONS_LIMIT = _error("INVALID_ACTIONS_LIMIT", "", "Invalid actions limit")
UNKNOWN_RESPONSE_FORMAT = _error(
    "UNKNOWN_RESPONSE_FORMAT",
    "FORMAT",
    "Response format provided [@FORMAT@] is not recognized by server",
)
REPORT_NOT_FOUND = _error("REPORT_NOT_FOUND", "ID", 'Report id "@ID@" not found')
SEARCH_TOO_GENERAL = _error(
    "SEARCH_TOO_GENERAL", "", "Unable to create report. Query produced too many results"
)
INVALID_REPORT_ITEMS_GROUP = _error("INVALID_REPORT_ITEMS_GROUP", "", "Invalid report items group")
EMAIL_NOT_CONFIGURED = _error(
    "EMAIL_NOT_CONFIGURED",
    "",
    "Reports cannot be sent by e-mail: no SMTP server is configured (setting smtp_host)",
)
TOO_MANY_JOBS = _error(
    "TOO_MANY_JOBS",
    "MAX",
    "@MAX@ report jobs of this partner are waiting or running already; try again later",
)
REPORT_EXPIRED = _error(
    "REPORT_EXPIRED", "ID", 'Report file "@ID@" has expired: its keep time has passed'
)
INVALID_SET_ROLE = _error("INVALID_SET_ROLE", "", "Invalid set role id")
MULTIREQUEST_TOO_LARGE = _error(
    "MULTIREQUEST_TOO_LARGE", "MAX", "A multirequest may hold at most @MAX@ requests"
)
