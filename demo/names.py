"""Name lists for the synthetic demo municipality (`manage.py seed_demo`).

Common Danish first names and surnames, plus some names of other origins that are
common among children in Denmark. The seed command combines them at random, so the
demo children are synthetic people; no list here describes anyone.
"""

GIRL_NAMES = [
    "Agnes", "Alma", "Amira", "Anna", "Asta", "Aya", "Caroline", "Clara", "Ella",
    "Ellen", "Ellie", "Emma", "Esther", "Freja", "Frida", "Ida", "Isabella", "Josefine",
    "Karla", "Laura", "Leyla", "Lily", "Liva", "Luna", "Lærke", "Maja", "Marie",
    "Maryam", "Mathilde", "Nora", "Olivia", "Saga", "Sofia", "Sofie", "Vigga", "Zainab",
]  # fmt: skip

BOY_NAMES = [
    "Alfred", "Ali", "Alexander", "Anton", "Arthur", "Aksel", "Aston", "August",
    "Bertram", "Carl", "Elias", "Emil", "Felix", "Frederik", "Hamza", "Johan", "Lucas",
    "Mads", "Magnus", "Malthe", "Mikkel", "Noah", "Oliver", "Omar", "Oscar", "Otto",
    "Theo", "Valdemar", "Victor", "Villads", "Vincent", "William", "Yusuf",
]  # fmt: skip

# For the few children registered with gender "andet".
NEUTRAL_NAMES = ["Alex", "Charlie", "Kim", "Noa", "Robin", "Sasha", "Storm"]

SURNAMES = [
    "Ahmed", "Andersen", "Andreasen", "Bach", "Christensen", "Christiansen", "Clausen",
    "Dam", "Eriksen", "Frederiksen", "Hansen", "Henriksen", "Holm", "Hussein", "Iversen",
    "Jakobsen", "Jensen", "Jeppesen", "Jespersen", "Johansen", "Jørgensen", "Kjær",
    "Knudsen", "Kristensen", "Kristiansen", "Larsen", "Lauridsen", "Laursen", "Lund",
    "Madsen", "Mikkelsen", "Mogensen", "Mortensen", "Møller", "Nielsen", "Nissen",
    "Nowak", "Olesen", "Olsen", "Pedersen", "Petersen", "Poulsen", "Rasmussen",
    "Schmidt", "Simonsen", "Skov", "Svendsen", "Sørensen", "Thomsen", "Vestergaard",
    "Yilmaz", "Østergaard",
]  # fmt: skip
