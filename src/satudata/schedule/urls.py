from __future__ import annotations

from django.urls import path

from satudata.schedule import views, views_fill, views_schedule

urlpatterns = [
    path("step-2/", views.step2, name="step2"),
    path("step-2/export.<str:fmt>", views.step2_export, name="step2-export"),
    # SOP step 1, the fill check (helper C).
    path("step-1/", views_fill.step1, name="step1"),
    path("step-1/export.<str:fmt>", views_fill.step1_export, name="step1-export"),
    path("step-1/<int:item_pk>/<str:period>/", views_fill.step1_cells, name="step1-cells"),
    # The release schedule (helper D): rules, overrides, calendar.
    path("schedule/", views_schedule.schedule_rules, name="schedule-rules"),
    path("schedule/item/<int:item_pk>/", views_schedule.item_schedule, name="item-schedule"),
    path("schedule/calendar/", views_schedule.calendar, name="schedule-calendar"),
    path(
        "schedule/calendar/export.<str:fmt>",
        views_schedule.calendar_export,
        name="schedule-calendar-export",
    ),
]
