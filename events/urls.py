from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    # Before the detail path, so that "calendar.ics" is never read as a slug.
    path("events/calendar.ics", views.calendar, name="calendar"),
    path("events/<slug:slug>.ics", views.event_calendar, name="event_calendar"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
]
