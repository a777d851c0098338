"""The small synthetic exit-survey corpus used by the NLP tests."""

from __future__ import annotations

PRICE = [
    "The price went up again and I can't afford it",
    "Too expensive for what it does",
    "The gym raised its monthly fee by 30 percent",
    "My phone plan went up for the third time this year",
    "Not worth the money anymore after the price increase",
    "They doubled the subscription cost",
    "It costs far too much compared to what I pay elsewhere",
    "Way too pricey for a family on a budget",
    "Your prices keep going up every few months",
    "The yearly renewal price was outrageous",
]
CRASHES = [
    "The app kept crashing every time I opened it",
    "Constant crashes and error messages after the update",
    "It crashed and I lost all my saved data",
    "The software freezes and crashes several times a day",
    "Buggy app, it crashes whenever I try to pay",
    "The site was down all the time with server errors",
    "Every update broke something and the app would crash",
    "The app stopped working and kept throwing errors",
    "Crashes on startup on my phone, completely unusable",
    "Too many bugs and crashes to rely on it",
]
SUPPORT = [
    "Customer service was rude and dismissive",
    "The support agent hung up on me",
    "Nobody from support ever answered my emails",
    "Staff on the phone were condescending and unhelpful",
    "I waited two hours on hold and then got cut off",
    "Support treated me like an idiot",
    "Your helpdesk never replied to my messages",
    "The people at the front desk were really rude to me",
    "Could never reach a human being at customer support",
    "The agent in the chat was impolite and useless",
]
DELIVERY = [
    "My parcel arrived two weeks late",
    "The courier left the box in the rain and it was damaged",
    "Orders never arrived on time",
    "The delivery driver lost my package",
    "Half of my groceries were missing from the delivery",
    "They sent the wrong item and the return shipping took weeks",
    "Shipping was slow and the tracking never updated",
    "The food delivery always came cold and late",
    "My order was delivered to the wrong address twice",
    "Deliveries kept getting cancelled at the last minute",
]
NON_ANSWERS = ["n/a", "asdf", "🙂🙂", "see previous email", "no comment", ""]
PII_TEXTS = [
    "My name is John Smith, email john.smith@example.com, phone +44 7700 900123. The price went up again.",
    "Spoke to agent Maria Lopez who was rude. Account number 12345678, card 4111 1111 1111 1111.",
    "Parcel for 221B Baker Street, London NW1 6XE never arrived; call me on 020 7946 0321",
]
TWO_REASONS = (
    "The price went up again and it is far too expensive. Also the app keeps crashing every single day."
)
PII_STRINGS = [
    "John Smith",
    "john.smith@example.com",
    "7700 900123",
    "Maria Lopez",
    "12345678",
    "4111 1111 1111 1111",
    "221B Baker Street",
    "NW1 6XE",
    "7946 0321",
]


def corpus() -> tuple[list[str], list[str], list[str]]:
    """Texts, ids and the gold reason of the small synthetic exit-survey corpus."""
    texts, gold = [], []
    for name, group in (("price", PRICE), ("bugs", CRASHES), ("support", SUPPORT), ("delivery", DELIVERY)):
        texts += group
        gold += [name] * len(group)
    texts += NON_ANSWERS + PII_TEXTS + [TWO_REASONS]
    gold += ["non_answer"] * len(NON_ANSWERS) + ["price", "support", "delivery", "price"]
    ids = [f"r{i:03d}" for i in range(len(texts))]
    return texts, ids, gold
