import io
import logging

from tidlig.lib.logs import PrivacyFilter, mask_cpr


def _log(logger_filter: PrivacyFilter, *args, **kwargs) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(logger_filter)
    logger = logging.Logger("tidlig.test")  # not registered: no other handler sees it
    logger.addHandler(handler)
    logger.error(*args, **kwargs)
    return stream.getvalue()


def _fail(cpr: str) -> None:
    raise ValueError(f"no child with CPR {cpr}")


def test_it_masks_anything_that_looks_like_a_cpr_number():
    assert mask_cpr("0403214001 and 040321-4001") == "******-**** and ******-****"
    # Not ten digits on their own: ids, years, phone numbers, longer numbers.
    for text in ("child 4001", "2025-10-01", "+45 12345678", "12345678901", "0403214-001"):
        assert mask_cpr(text) == text


def test_it_masks_cpr_numbers_in_the_arguments():
    output = _log(PrivacyFilter(), "Import row %s: %s", 7, {"cpr": "040321-4001"})
    assert output == "ERROR Import row 7: {'cpr': '******-****'}\n"


def test_it_replaces_the_traceback_with_a_reference():
    outputs = []
    for _ in range(2):
        try:
            _fail("0403214001")
        except ValueError:
            outputs.append(
                _log(PrivacyFilter(), "Internal Server Error: %s", "/boern/7/", exc_info=True)
            )
    first = outputs[0]
    assert first.startswith("ERROR Internal Server Error: /boern/7/ [ValueError at ")
    assert "tidlig/tests/test_logs.py:" in first and ", ref " in first
    assert "Traceback" not in first and "no child" not in first and "4001" not in first
    # The same fault, the same reference: an operator can tell recurring faults apart.
    assert outputs[0] == outputs[1]


def test_it_keeps_the_traceback_in_development():
    try:
        _fail("0403214001")
    except ValueError:
        output = _log(PrivacyFilter(tracebacks=True), "Failed for %s", "0403214001", exc_info=True)
    assert output.startswith("ERROR Failed for ******-****\nTraceback")


def test_it_filters_every_configured_handler():
    loggers = [logging.root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        # pytest's own capturing handlers sit on the root logger during tests.
        if not isinstance(handler, logging.NullHandler)
        and not type(handler).__module__.startswith("_pytest")
    }
    assert handlers, "the settings configure a console handler"
    for handler in handlers:
        assert any(isinstance(f, PrivacyFilter) for f in handler.filters), handler
    # Django's own loggers print through the root handler only (nothing mailed to ADMINS).
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
