"""URLs of the activities app (mounted under /<initiative_slug>/).

Public: the calendar (list and week), activity pages and iCal feeds (views_public).
Staff: creating and editing activities and their sessions (views_manage).
Proposals (views_proposals): members propose under /me/proposals/, coordinators decide under
/manage/proposals/.
"""

from django.urls import path

from verbinding.activities import views_manage, views_proposals, views_public

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
    path("me/proposals/", views_proposals.my_proposals, name="my-proposals"),
    path("me/proposals/new/", views_proposals.propose, name="propose"),
    path("me/proposals/<int:pk>/withdraw/", views_proposals.withdraw, name="proposal-withdraw"),
    path("manage/proposals/", views_proposals.proposal_list, name="proposal-list"),
    path("manage/proposals/<int:pk>/", views_proposals.proposal_detail, name="proposal-detail"),
    path("manage/proposals/<int:pk>/edit/", views_proposals.proposal_edit, name="proposal-edit"),
    path("manage/proposals/<int:pk>/approve/", views_proposals.proposal_approve,
         name="proposal-approve"),
    path("manage/proposals/<int:pk>/decline/", views_proposals.proposal_decline,
         name="proposal-decline"),
]
