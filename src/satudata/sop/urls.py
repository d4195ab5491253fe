"""The SOP (current revision and history) and dissemination cycles, under /app/."""

from django.urls import path

from satudata.sop import views

urlpatterns = [
    path("sop/", views.sop_detail, name="sop-detail"),
    path("sop/revise/", views.sop_revise, name="sop-revise"),
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path(
        "cycles/<int:pk>/steps/<int:number>/start/",
        views.cycle_step_start,
        name="cycle-step-start",
    ),
    path(
        "cycles/<int:pk>/runs/<int:run_pk>/finish/", views.cycle_run_finish, name="cycle-run-finish"
    ),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle-close"),
]
