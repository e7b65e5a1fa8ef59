"""The sections a collectivité's first charter edition starts from, in French (the charter is a French document).

Plain text: paragraphs separated by a blank line, bullets on lines starting with "- ". The register's data (tools,
use cases in production, the ethics committee) is not written here: the charter inserts it where `LIVE_BLOCKS` says.
"""

SECTIONS = [
    {
        "key": "purpose",
        "title": "Objet et champ d'application",
        "body": """La présente charte fixe les règles d'utilisation des outils d'intelligence artificielle (IA) par \
les agents de la collectivité. Elle s'applique à tous les agents, titulaires et contractuels, aux stagiaires, \
apprentis et prestataires qui travaillent pour la collectivité, quel que soit l'outil utilisé : outil fourni par \
la collectivité, fonction d'IA intégrée à un logiciel métier ou à la suite bureautique, service en ligne gratuit ou \
payant, extension de navigateur.

Elle s'inscrit dans le cadre du règlement européen sur l'intelligence artificielle (règlement (UE) 2024/1689, \
dit « AI Act »), du règlement général sur la protection des données (RGPD), du code des relations entre le public \
et l'administration (CRPA) et de la politique de sécurité des systèmes d'information de la collectivité.

Elle est complétée par le registre des usages de l'IA, tenu dans l'application Registre IA : chaque usage y est \
décrit avec son niveau de risque et les contrôles humains qui l'encadrent. Les outils autorisés et interdits, les \
usages en production et la composition du comité d'éthique figurant dans cette charte en sont extraits à la date \
de sa publication.""",
    },
    {
        "key": "principles",
        "title": "Principes",
        "body": """L'usage de l'IA au service du public obéit à cinq principes.

- Primauté de l'humain : l'IA aide, l'agent décide. Aucune décision concernant une personne n'est prise par un \
outil d'IA seul ; l'agent reste responsable de ce qu'il produit, signe ou envoie.
- Besoin réel : un outil d'IA n'est utilisé que s'il répond à un besoin identifié du service et apporte un \
bénéfice réel aux usagers ou aux agents.
- Sobriété : on choisit l'outil le plus simple et le moins consommateur qui répond au besoin ; l'IA générative \
n'est pas un réflexe pour des tâches qu'un outil classique fait aussi bien.
- Transparence : les usagers savent quand ils échangent avec une IA et quand une décision s'appuie sur un \
traitement algorithmique ; chaque usage est inscrit au registre, et rendu public lorsque la loi le prévoit.
- Souveraineté : la collectivité privilégie les outils hébergés en France ou dans l'Union européenne, qui ne \
réutilisent pas ses données, et garde la maîtrise de ses données comme de ses choix.""",
    },
    {
        "key": "uses",
        "title": "Usages autorisés et usages interdits",
        "body": """Sont autorisés, avec les outils de la liste des outils autorisés et dans le respect des règles \
sur les données :
- l'aide à la rédaction et à la reformulation (courriers types, comptes rendus, notes), relue par l'agent ;
- la synthèse et la recherche dans des documents publics ou internes non sensibles ;
- la traduction et la transcription de contenus, vérifiées avant toute diffusion ;
- l'aide à la programmation pour les équipes informatiques, sans jamais y placer de mot de passe, de clé ni de \
code confidentiel ;
- les usages métiers inscrits au registre et validés selon la procédure de gouvernance.

Sont interdits :
- les pratiques prohibées par l'article 5 de l'AI Act, notamment la notation sociale, la manipulation, la \
reconnaissance des émotions au travail et l'identification biométrique à distance en temps réel dans l'espace \
public ;
- l'utilisation d'un outil de la liste des outils interdits, ou d'un compte personnel, gratuit ou payant, pour \
le travail ;
- toute décision individuelle (aide sociale, recrutement, sanction, attribution d'un logement ou d'une place en \
crèche…) prise sur le seul fondement d'un résultat produit par une IA ;
- la saisie d'informations d'un niveau de classification supérieur à celui autorisé pour l'outil ;
- la création de contenus trompeurs, d'hypertrucages ou de contenus imitant une personne sans son accord ;
- la mise en service d'un nouvel usage sans l'avoir déclaré au registre.""",
    },
    {
        "key": "data",
        "title": "Règles selon la classification des données",
        "body": """Chaque information relève de l'un des cinq niveaux ci-dessous. Un outil ne reçoit jamais \
d'information d'un niveau supérieur à celui indiqué pour lui dans la liste des outils autorisés.

- C0 — public : données ouvertes et informations déjà publiées (délibérations, site internet, magazine). Tout \
outil autorisé peut les recevoir.
- C1 — interne : documents de travail sans donnée personnelle ni information sensible. Seulement dans un outil \
autorisé au niveau C1 ou au-delà, avec un compte professionnel.
- C2 — sensible : données personnelles, informations financières, contractuelles ou touchant à la sécurité. \
Seulement dans un outil hébergé en France ou dans l'Union européenne, sans réutilisation des données par le \
fournisseur, autorisé au niveau C2 ; on n'y place que les données strictement nécessaires, pseudonymisées chaque \
fois que possible.
- C3 — Diffusion Restreinte : informations protégées au titre de l'instruction interministérielle n° 901. \
Seulement dans un outil hébergé dans les locaux de la collectivité ou qualifié SecNumCloud, expressément autorisé \
au niveau C3 par le RSSI.
- C4 — classifié : informations classifiées au titre du secret de la défense nationale. Jamais dans un outil d'IA.

Les données de santé, les données concernant des mineurs ou des personnes vulnérables, le numéro de sécurité \
sociale (NIR) et les catégories particulières de données (RGPD, art. 9 et 10) ne sont traités que dans un usage \
inscrit au registre ayant reçu l'avis favorable du DPO. En cas de doute sur le niveau d'une information, on \
applique le niveau supérieur et on interroge le DPO.""",
    },
    {
        "key": "verification",
        "title": "Devoir de vérification",
        "body": """Les résultats d'une IA peuvent être faux, incomplets, datés ou biaisés, même lorsqu'ils \
paraissent sûrs. L'agent qui utilise un résultat en répond comme de son propre travail.

- Il vérifie les faits, les chiffres, les références juridiques et les sources citées avant tout usage ; une \
référence qu'il ne retrouve pas n'est pas utilisée.
- Il relit entièrement tout texte destiné à un usager, à un partenaire ou à une publication.
- Il reste attentif aux biais et aux formulations discriminantes, en particulier lorsque le contenu concerne des \
personnes.
- Lorsqu'un usage est encadré par des points de contrôle inscrits au registre (revue humaine des résultats, \
validation de chaque décision, revue des biais…), les agents désignés les réalisent à la fréquence prévue et les \
attestent dans l'application.""",
    },
    {
        "key": "labelling",
        "title": "Signalement des contenus produits avec l'IA",
        "body": """La collectivité dit quand elle utilise l'IA.

- Un agent conversationnel, ou tout dispositif qui dialogue avec le public, l'annonce clairement dès le premier \
échange (AI Act, art. 50).
- Les images, sons et vidéos générés ou modifiés par une IA portent la mention « Contenu généré par IA » ou \
« Contenu modifié avec l'aide de l'IA ».
- Un texte publié sur un sujet d'intérêt public sans relecture éditoriale le signale ; un texte relu et validé \
par un agent n'a pas à le faire, mais le service garde trace de l'outil utilisé.
- Les décisions individuelles prises sur le fondement d'un traitement algorithmique portent la mention explicite \
prévue à l'article L311-3-1 du CRPA ; la personne concernée peut obtenir les règles du traitement et les \
principales caractéristiques de sa mise en œuvre.""",
    },
    {
        "key": "security",
        "title": "Sécurité",
        "body": """- N'utiliser que des comptes professionnels et nominatifs, ouverts par la direction des systèmes \
d'information ; jamais de compte personnel pour le travail.
- Ne jamais saisir de mot de passe, de clé d'accès, de code source confidentiel ni d'information sur \
l'architecture du système d'information.
- Ne pas installer d'extension de navigateur, d'application ou de module d'IA sans l'accord de la direction des \
systèmes d'information.
- Traiter les contenus produits par une IA (liens, pièces jointes, code, macros) avec la même prudence que tout \
contenu venu de l'extérieur.
- Signaler sans délai au RSSI tout incident : fuite de données, réponse anormale, comportement inattendu d'un \
outil. Une violation de données personnelles est aussi signalée au DPO, qui dispose de 72 heures pour la \
notifier à la CNIL (RGPD, art. 33).""",
    },
    {
        "key": "governance",
        "title": "Gouvernance et déclaration des usages",
        "body": """- Le référent IA anime la démarche, tient le registre à jour avec les services et prépare chaque \
année la révision de la charte.
- Le délégué à la protection des données (DPO) rend un avis sur tout usage qui traite des données personnelles et \
conduit avec le service l'analyse d'impact (AIPD) lorsqu'elle est requise.
- Le responsable de la sécurité des systèmes d'information (RSSI) rend un avis sur la sécurité de chaque usage, \
tient la liste des outils autorisés et interdits et fixe le niveau de classification maximal que chacun peut \
recevoir.
- Le comité d'éthique, dont la composition figure ci-après, examine les usages à fort enjeu pour les personnes \
(risque élevé, décisions individuelles, usages tournés vers le public) et rend un avis motivé.
- Le directeur général des services arbitre, publie la charte et en rend compte aux élus.

Déclarer un nouvel usage : l'agent qui souhaite utiliser un outil d'IA pour une nouvelle finalité, ou qui utilise \
déjà un outil absent du registre, le déclare dans l'application Registre IA, depuis n'importe quelle page. La \
déclaration n'entraîne aucune sanction : elle permet d'évaluer les risques et de proposer, si besoin, un outil \
autorisé. Un nouvel usage n'est mis en production qu'après les avis requis.""",
    },
    {
        "key": "training",
        "title": "Formation et accompagnement",
        "body": """- Tout agent qui utilise un outil d'IA suit le module de sensibilisation de la collectivité \
(une heure, en ligne) avant d'y avoir accès, puis sa mise à jour chaque année (AI Act, art. 4).
- Les agents qui exercent le contrôle humain d'un usage inscrit au registre suivent une formation propre à cette \
mission (AI Act, art. 26).
- Les encadrants veillent à ce que leurs équipes disposent du temps nécessaire pour se former.
- Le référent IA met à la disposition des agents des fiches pratiques et répond à leurs questions.""",
    },
    {
        "key": "environment",
        "title": "Impact environnemental",
        "body": """L'IA, et plus encore l'IA générative, consomme de l'énergie, de l'eau et des ressources \
matérielles. Chacun en limite l'impact par des gestes simples :
- préférer un outil classique (moteur de recherche, modèle de document, correcteur) lorsqu'il suffit ;
- formuler des demandes précises plutôt que multiplier les essais, et ne pas générer d'images ou de vidéos sans \
besoin réel ;
- choisir un modèle à la mesure de la tâche.

La collectivité intègre des critères environnementaux au choix de ses outils et rend compte chaque année des \
usages en production.""",
    },
    {
        "key": "revision",
        "title": "Révision, entrée en vigueur et signatures",
        "body": """La charte est révisée chaque année, et chaque fois qu'une évolution de la réglementation, des \
outils ou des usages le justifie. Chaque édition est conservée ; l'édition publiée est figée, et son empreinte \
numérique (SHA-256) permet d'en vérifier l'intégrité.

Chaque agent prend connaissance de la charte et le confirme dans l'application Registre IA. Le non-respect de la \
charte peut engager la responsabilité de son auteur dans les conditions du droit commun et du statut de la \
fonction publique.

La présente édition entre en vigueur à la date de sa publication par le directeur général des services.""",
    },
]

# Where the register's data goes in the charter: after the section with this key (or at the end, before the last
# section, when an edition has no such section).
LIVE_BLOCKS = {
    "principles": "tools",
    "governance": "committee",
    "environment": "register",
}
