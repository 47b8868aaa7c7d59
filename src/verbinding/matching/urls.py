"""URLs of the matching app (mounted under /<initiative_slug>/): project team formation.

Coordinators, under manage/teams/: the projects (`manage-projects`), one project's pool,
parameters and pair rules (`manage-project`, pk = activity), a run with its progress, teams,
explanations and edits (`manage-run*`, pk = run). Members: `my-team` (/me/team/).
"""

from django.urls import path

from verbinding.matching import views

app_name = "matching"

urlpatterns = [
    path("manage/teams/", views.project_list, name="manage-projects"),
    path("manage/teams/<int:pk>/", views.project_detail, name="manage-project"),
    path("manage/teams/<int:pk>/run/", views.run_start, name="manage-run-start"),
    path("manage/teams/<int:pk>/pairs/", views.pair_add, name="manage-pair-add"),
    path("manage/teams/pairs/<int:pk>/delete/", views.pair_delete, name="manage-pair-delete"),
    path("manage/teams/runs/<int:pk>/", views.run_detail, name="manage-run"),
    path("manage/teams/runs/<int:pk>/progress/", views.run_progress, name="manage-run-progress"),
    path("manage/teams/runs/<int:pk>/why/", views.run_why, name="manage-run-why"),
    path("manage/teams/runs/<int:pk>/move/", views.run_move, name="manage-run-move"),
    path("manage/teams/runs/<int:pk>/swap/", views.run_swap, name="manage-run-swap"),
    path("manage/teams/runs/<int:pk>/pin/", views.run_pin, name="manage-run-pin"),
    path("manage/teams/runs/<int:pk>/lock/", views.run_lock, name="manage-run-lock"),
    path("manage/teams/runs/<int:pk>/publish/", views.run_publish, name="manage-run-publish"),
    path("manage/teams/runs/<int:pk>/relax/", views.run_relax, name="manage-run-relax"),
    path("me/team/", views.my_team, name="my-team"),
]
