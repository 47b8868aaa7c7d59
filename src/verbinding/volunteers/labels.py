"""Translated names and hints for the stages (kept apart from the pure path module)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from verbinding.volunteers.path import Stage

STAGE_LABELS = {
    Stage.FIRST_VISIT: _("First visit"),
    Stage.RETURNING: _("Came back"),
    Stage.ORGANISED_ONCE: _("Organised once"),
    Stage.VOLUNTEER: _("Volunteer"),
    Stage.RECURRING: _("Organises regularly"),
}

STAGE_RULES = {
    Stage.FIRST_VISIT: _("Checked in for the first time."),
    Stage.RETURNING: _("Checked in during at least two different weeks."),
    Stage.ORGANISED_ONCE: _("Organiser of an activity with a session that took place."),
    Stage.VOLUNTEER: _("Holds a volunteer role (volunteer, host, organiser or coordinator)."),
    Stage.RECURRING: _("Organised sessions in at least three different months."),
}

# Per stage: who is listed as ready for the next step, and what the coordinator could do.
NEXT_STEP_HINTS = {
    Stage.FIRST_VISIT: _("Came for the first time in the last 30 days and not back yet. "
                         "A personal invitation helps them come back."),
    Stage.RETURNING: _("Regulars seen in the last three months who never organised, and whose "
                       "talents fit an activity that needs an organiser. Ask them to organise "
                       "once, together with someone experienced."),
    Stage.ORGANISED_ONCE: _("Organised something and were seen in the last three months, but "
                            "have no volunteer role yet. Ask if they want to join the team."),
    Stage.VOLUNTEER: _("Volunteers seen in the last three months who do not yet organise "
                       "regularly. Those whose talents fit an open need come first."),
}

# What a member reads on their own path page: an encouraging next step.
MY_NEXT_STEP = {
    None: _("Come by: every activity is open to you, and the first visit is the start."),
    Stage.FIRST_VISIT: _("Come back another week: after a few visits you will know people."),
    Stage.RETURNING: _("You could host something once, together with an organiser: a coffee "
                       "night, a dinner, a game or something you are good at. "
                       "Propose an idea!"),
    Stage.ORGANISED_ONCE: _("You organised something: thank you! Ask a coordinator if you "
                            "want to join the volunteer team."),
    Stage.VOLUNTEER: _("You are one of the volunteers. You could organise something every "
                       "month, or share it with a newcomer or neighbour you know."),
    Stage.RECURRING: _("You organise regularly: thank you. Could you take someone along who "
                       "would like to organise for the first time?"),
}
