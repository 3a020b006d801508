"""URLs of the invocations app: the dashboard pages and their JSON endpoints."""

from django.urls import path

from . import views
from .dashboard import api

app_name = "invocations"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("functions/<str:name>/", views.function_detail, name="function"),
    # Reads (anyone)
    path("dashboard/api/functions/<str:name>/topology", api.function_topology, name="api-topology"),
    path("dashboard/api/functions/<str:name>/logs", api.function_logs, name="api-logs"),
    path("dashboard/api/functions/<str:name>/history", api.function_history, name="api-history"),
    path("dashboard/api/functions/<str:name>/alarms", api.function_alarms, name="api-alarms"),
    path("dashboard/api/alarms", api.alarms, name="api-account-alarms"),
    path("dashboard/api/queues/messages", api.queue_messages, name="api-queue-messages"),
    path("dashboard/api/delivered", api.delivered, name="api-delivered"),
    path("dashboard/api/traffic", api.traffic_list, name="api-traffic"),
    # Controls (staff, CSRF)
    path("dashboard/api/functions/<str:name>/aliases/<str:alias>/weight", api.alias_weight, name="api-alias-weight"),
    path(
        "dashboard/api/functions/<str:name>/aliases/<str:alias>/errors-alarm", api.errors_alarm, name="api-errors-alarm"
    ),
    path("dashboard/api/functions/<str:name>/aliases/<str:alias>", api.alias_versions, name="api-alias-versions"),
    path("dashboard/api/functions/<str:name>/versions", api.version_publish, name="api-publish"),
    path("dashboard/api/functions/<str:name>/concurrency", api.reserved_concurrency, name="api-reserved"),
    path("dashboard/api/functions/<str:name>/provisioned", api.provisioned_concurrency, name="api-provisioned"),
    path("dashboard/api/functions/<str:name>/event-invoke-config", api.event_invoke_config, name="api-eic"),
    path("dashboard/api/traffic/start", api.traffic_start, name="api-traffic-start"),
    path("dashboard/api/traffic/stop", api.traffic_stop, name="api-traffic-stop"),
    path("dashboard/api/traffic/burst", api.traffic_burst, name="api-traffic-burst"),
    path("dashboard/api/sources/message", api.queue_message, name="api-queue-message"),
    path("dashboard/api/sources/record", api.stream_record, name="api-stream-record"),
    path("dashboard/api/sources/topic-message", api.topic_message, name="api-topic-message"),
    path("dashboard/api/sources/bus-event", api.bus_event, name="api-bus-event"),
    path("dashboard/api/clock", api.clock, name="api-clock"),
    path("dashboard/api/scenarios/<str:name>", api.scenario, name="api-scenario"),
]
