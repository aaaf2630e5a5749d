"""Real French cities with their true zip codes and coordinates, for demo data."""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    city: str
    zip_code: str
    lat: float
    lng: float
    streets: tuple[str, ...]


PLACES: tuple[Place, ...] = (
    Place(
        "Paris",
        "75011",
        48.8590,
        2.3800,
        ("rue Oberkampf", "boulevard Voltaire", "rue de la Roquette"),
    ),
    Place(
        "Paris",
        "75015",
        48.8412,
        2.3003,
        ("rue de Vaugirard", "rue du Commerce", "avenue Félix Faure"),
    ),
    Place(
        "Lyon", "69003", 45.7597, 4.8590, ("cours Gambetta", "rue Paul Bert", "avenue Félix Faure")
    ),
    Place("Marseille", "13006", 43.2880, 5.3810, ("rue Paradis", "cours Julien", "rue Breteuil")),
    Place(
        "Bordeaux",
        "33000",
        44.8378,
        -0.5792,
        ("cours de l'Intendance", "rue Sainte-Catherine", "quai des Chartrons"),
    ),
    Place(
        "Nantes",
        "44000",
        47.2184,
        -1.5536,
        ("rue Crébillon", "quai de la Fosse", "rue de Strasbourg"),
    ),
    Place(
        "Toulouse",
        "31000",
        43.6047,
        1.4442,
        ("rue d'Alsace-Lorraine", "allées Jean Jaurès", "rue de Metz"),
    ),
    Place(
        "Lille",
        "59000",
        50.6292,
        3.0573,
        ("rue Nationale", "boulevard de la Liberté", "rue Solférino"),
    ),
    Place(
        "Nice",
        "06000",
        43.7102,
        7.2620,
        ("promenade des Anglais", "avenue Jean Médecin", "rue de France"),
    ),
    Place(
        "Strasbourg",
        "67000",
        48.5734,
        7.7521,
        ("rue du Dôme", "quai des Bateliers", "avenue des Vosges"),
    ),
    Place(
        "Montpellier",
        "34000",
        43.6108,
        3.8767,
        ("rue Foch", "boulevard du Jeu de Paume", "rue de l'Université"),
    ),
    Place(
        "Rennes",
        "35000",
        48.1173,
        -1.6778,
        ("rue Le Bastard", "boulevard de la Liberté", "rue de Saint-Malo"),
    ),
    Place(
        "Annecy", "74000", 45.8992, 6.1294, ("rue Royale", "avenue d'Albigny", "rue Sainte-Claire")
    ),
    Place(
        "Saint-Étienne",
        "42000",
        45.4397,
        4.3872,
        ("rue de la République", "cours Fauriel", "rue Michelet"),
    ),
    Place(
        "Aix-en-Provence",
        "13100",
        43.5297,
        5.4474,
        ("cours Mirabeau", "rue d'Italie", "rue Espariat"),
    ),
    Place(
        "La Rochelle",
        "17000",
        46.1603,
        -1.1511,
        ("quai Duperré", "rue du Palais", "avenue Coligny"),
    ),
    Place(
        "Biarritz",
        "64200",
        43.4832,
        -1.5586,
        ("avenue Édouard VII", "rue Gambetta", "avenue de la Marne"),
    ),
    Place(
        "Chamonix-Mont-Blanc",
        "74400",
        45.9237,
        6.8694,
        ("avenue Michel Croz", "rue du Docteur Paccard", "chemin des Ecrets"),
    ),
    Place(
        "Ajaccio",
        "20000",
        41.9192,
        8.7386,
        ("cours Napoléon", "boulevard Pascal Rossini", "rue Fesch"),
    ),
    Place(
        "Bastia",
        "20200",
        42.6973,
        9.4509,
        ("boulevard Paoli", "rue César Campinchi", "boulevard Auguste Gaudin"),
    ),
    Place(
        "Saint-Denis",
        "97400",
        -20.8823,
        55.4504,
        ("rue de Paris", "rue Jean Chatel", "boulevard Lancastel"),
    ),
)
