"""Pure team-formation and talent-exchange solver (OR-Tools CP-SAT, no Django).

What belongs in this package: everything that decides who works with whom, on integer
ids only. The public entry points are teams.form_teams and exchange.match_exchange;
the Django layer translates their structured explanation codes. The model, the
lexicographic scheme, the greedy, the exchange model and measured numbers are in
docs/algorithms/team-formation.md.
"""
