"""pygame event types the plugin posts, always from inside ``KGen.update()``.

Each type is made with :func:`pygame.event.custom_type`, so it never clashes
with the game's own types. Test for them in your event loop::

    if event.type == kgen_pygame.events.REWARDS_CHANGED:
        show_banner(f"{event.count} rewards to claim")

Attributes of each event (all values are plain Python objects):

``SESSION_READY``
    ``gamer_id`` (str), ``session_id`` (str), ``wallet_address`` (str),
    ``sandbox`` (bool: True when talking to the embedded sandbox).
``SESSION_FAILED``
    ``message`` (str, safe to show), ``retrying`` (bool: False means the
    configuration is wrong and the plugin stopped trying).
``REWARDS_CHANGED``
    ``count`` (int unclaimed rewards), ``total`` (Decimal claimable amount).
``BALANCE_CHANGED``
    ``earned`` (Decimal), ``total`` (Decimal: earned + bonus + bought).
``TOURNAMENTS_CHANGED``
    ``active`` (int live tournaments), ``joined`` (int: live tournaments the player
    joined).
``WALLET_LINKED``
    ``phone`` (str, masked), ``kgen_wallet_address`` (str or None).
``WITHDRAW_DONE``
    ``amount`` (Decimal), ``destination`` (str), ``status`` (str).
``DELIVERY_PROBLEM``
    ``reason`` (str), ``pending`` (int events waiting), ``dead_lettered``
    (int events the server refused for good), ``recovered`` (bool: True once
    delivery works again after a problem).
``EVENT_REFUSED``
    ``event_id`` (str), ``kind`` (str), ``reason`` (str), ``status`` (int or None): the
    server refused a tracked event for good; it is kept in the dead-letter table
    (``kgen.delivery_report()``), never retried, never silently dropped.
``LOYALTY_REWARDED``
    ``event_id`` (str: the rewardable event), ``reward_id`` (str or None), ``amount``
    (Decimal or None): a ``reward_event()`` reached the platform and paid out.
``SANDBOX_SMS``
    ``phone`` (str), ``code`` (str) - only with the embedded sandbox: the
    one-time code the sandbox "sent", for demos to show as an on-screen SMS.
``OVERLAY_OPENED`` / ``OVERLAY_CLOSED``
    ``panel`` (str): the game may pause and resume around them.
"""

from __future__ import annotations

import pygame

SESSION_READY: int = pygame.event.custom_type()
SESSION_FAILED: int = pygame.event.custom_type()
REWARDS_CHANGED: int = pygame.event.custom_type()
BALANCE_CHANGED: int = pygame.event.custom_type()
TOURNAMENTS_CHANGED: int = pygame.event.custom_type()
WALLET_LINKED: int = pygame.event.custom_type()
WITHDRAW_DONE: int = pygame.event.custom_type()
DELIVERY_PROBLEM: int = pygame.event.custom_type()
EVENT_REFUSED: int = pygame.event.custom_type()
LOYALTY_REWARDED: int = pygame.event.custom_type()
SANDBOX_SMS: int = pygame.event.custom_type()
OVERLAY_OPENED: int = pygame.event.custom_type()
OVERLAY_CLOSED: int = pygame.event.custom_type()

#: Callback names accepted by ``KGen.on()``, mapped to the event type above.
BY_NAME: dict[str, int] = {
    "session_ready": SESSION_READY,
    "session_failed": SESSION_FAILED,
    "rewards_changed": REWARDS_CHANGED,
    "balance_changed": BALANCE_CHANGED,
    "tournaments_changed": TOURNAMENTS_CHANGED,
    "wallet_linked": WALLET_LINKED,
    "withdraw_done": WITHDRAW_DONE,
    "delivery_problem": DELIVERY_PROBLEM,
    "event_refused": EVENT_REFUSED,
    "loyalty_rewarded": LOYALTY_REWARDED,
    "sandbox_sms": SANDBOX_SMS,
    "overlay_opened": OVERLAY_OPENED,
    "overlay_closed": OVERLAY_CLOSED,
}

NAME_OF: dict[int, str] = {value: key for key, value in BY_NAME.items()}
