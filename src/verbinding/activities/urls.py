"""URLs of the activities app (mounted under /<initiative_slug>/).

Public: the calendar (list and week), activity pages and iCal feeds (views_public).
Staff: creating and editing activities and their sessions (views_manage).
"""

from django.urls import path

from verbinding.activities import views_manage, views_public

app_name = "activities"

urlpatterns = [
    path("", views_public.calendar, name="calendar"),
    path("week/", views_public.week, name="week"),
    path("activities/<int:pk>/", views_public.activity_detail, name="activity-detail"),
    path("calendar.ics", views_public.calendar_ics, name="calendar-ics"),
    path("activities/<int:pk>/calendar.ics", views_public.activity_ics, name="activity-ics"),
    path("manage/activities/", views_manage.activity_list, name="manage-list"),
    path("manage/activities/new/", views_manage.activity_create, name="manage-create"),
    path("manage/activities/<int:pk>/edit/", views_manage.activity_edit, name="manage-edit"),
    path("manage/activities/<int:pk>/sessions/", views_manage.activity_sessions, name="manage-sessions"),
    path("manage/sessions/<int:pk>/cancel/", views_manage.session_cancel, name="session-cancel"),
    path("manage/sessions/<int:pk>/move/", views_manage.session_move, name="session-move"),
]
