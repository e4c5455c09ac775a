from hypothesis import given, settings
from hypothesis import strategies as st
from django.urls import reverse

from duban.core.links import link_maker

VIEWS = ("hotline:complaint_detail", "plans:measure_detail", "progress:report_detail")


@settings(deadline=None)  # the first example loads the URLconf
@given(pk=st.integers(min_value=1, max_value=2**31 - 1))
def test_a_made_link_is_the_one_reverse_gives(pk):
    for view in VIEWS:
        assert link_maker(view)(pk) == reverse(view, args=[pk])


def test_the_placeholder_id_is_not_left_in_a_link():
    link = link_maker("hotline:complaint_detail")
    assert link(7) != link(8) and "987654321" not in link(7)
