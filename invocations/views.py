"""Dashboard pages (thin: they call selectors and read models; the live parts arrive over the websocket)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from . import selectors
from .dashboard.http import controls_allowed
from .errors import LambdaError
from .selectors import topology
from .services.alarm_panels import alarms_in_state
from .services.clock import simulation_clock_reading
from .services.scenarios import SCENARIOS
from .services.traffic import KINDS, PATTERNS
from .ws_routing import live_path

CLOCK_SPEEDS = (0.5, 1, 2, 5, 10, 60)

# The tab icon: a λ on the topbar's colour. Browsers ask for /favicon.ico on every page without a <link rel=icon>
# (the admin's): answering it keeps their consoles free of a 404.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#232f3e"/>'
    '<path d="M9 6h5l9 20h-5l-3.5-8L11 26H6l6.7-12.5L11.5 10H9z" fill="#ff9900"/></svg>'
)


def home(request):
    """The account: concurrency gauge, invocations/s, the clock, every function with a sparkline, scenarios."""
    functions = topology.function_summaries()
    return render(
        request,
        "invocations/home.html",
        {
            "functions": functions,
            "alarms_in_alarm": alarms_in_state(state="ALARM"),
            "account": selectors.account_settings_get(),
            "is_staff": request.user.is_staff,
            "controls": controls_allowed(request),
            "scenarios": SCENARIOS,
            "clock_speeds": CLOCK_SPEEDS,
            "clock": simulation_clock_reading(),
            "ws_path": live_path(),
        },
    )


def function_detail(request, name: str):
    """One function's live diagram, charts, log tail and (for staff) its controls."""
    try:
        function = selectors.function_get_unqualified(name)
    except LambdaError:  # missing, or not a function name at all (too long, qualified, "ƒ"): nothing to show
        return render(request, "invocations/function_missing.html", {"name": name}, status=404)
    summary = topology.function_topology(function)
    weighted = [a for a in summary["aliases"] if a["additional_version_weights"]]
    for alias in weighted:
        (version, weight), *_ = alias["additional_version_weights"].items()
        alias["additional_version"], alias["percent"] = version, round(weight * 100, 2)
    return render(
        request,
        "invocations/function.html",
        {
            "fn": summary,
            "weighted_aliases": weighted,
            "account": selectors.account_settings_get(),
            "is_staff": request.user.is_staff,
            "controls": controls_allowed(request),
            "sources": topology.source_choices(),
            "traffic_kinds": KINDS,
            "traffic_patterns": PATTERNS,
            "clock_speeds": CLOCK_SPEEDS,
            "clock": simulation_clock_reading(),
            "ws_path": live_path(function.name),
        },
    )


@cache_control(max_age=86400, public=True)
def favicon(request):
    return HttpResponse(FAVICON_SVG, content_type="image/svg+xml")
