"""The default handleguide states the duty to notify as Barnets Lov § 133 has it."""

from ruler.guide_defaults import default_text


def test_zones_3_to_5_state_the_professionals_own_duty_to_notify():
    for zone in (3, 4, 5):
        text = default_text(zone)
        assert "skærpet underretningspligt, Barnets Lov § 133" in text, zone
        assert "pligten er din egen" in text.lower(), zone


def test_the_duty_starts_with_a_reason_to_assume_a_need_for_support():
    # Not only when the child is in danger (zone 5): already in zones 3 and 4.
    for zone in (3, 4):
        assert "grund til at antage, at barnet kan have brug for særlig støtte" in default_text(
            zone
        ), zone
    assert "Overvej sammen med din leder" not in default_text(4)


def test_zones_1_and_2_do_not_speak_of_notifying():
    for zone in (1, 2):
        assert "underret" not in default_text(zone).lower(), zone
