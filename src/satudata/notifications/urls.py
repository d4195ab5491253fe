from __future__ import annotations

from django.urls import path

from satudata.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("reminders/", views.reminders, name="reminders"),
]
