from tests.sales.routing_helpers import make_lead, make_rule


def test_first_matching_rule_assigns_round_robin(org):
    make_rule(org.admin, "Thailand", countries=["TH"], users=[org.owner, org.teammate])
    leads = [make_lead(org.manager, f"Lead {i}", country="TH") for i in range(4)]
    owners = [lead.owner for lead in leads]
    assert owners == [org.owner, org.teammate, org.owner, org.teammate]
