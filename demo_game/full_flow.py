"""``--script full-flow``: the whole KGeN flow, played by itself with real input events.

launch (session in the background) -> title -> tournament choice: join a tournament a lone
winner is paid enough in (free, or covered by the welcome bonus) -> a round, the bot steering,
earning achievements (demo_game/achievements.py) -> scores and grants delivered -> the sandbox
ends the tournament -> the reward on the HUD -> KGeN menu (F1) -> Rewards: claim all -> Link
wallet: country code, phone, the code from the on-screen SMS -> Withdraw: confirm -> that
tournament's leaderboard, wallet history, statistics -> Rewards earned (the achievements'
loyalty rewards, where the API generation has loyalty) -> quit.

Every input is a posted pygame event a player could produce: KEYDOWN/KEYUP, TEXTINPUT, mouse
motion and clicks, gamepad buttons and d-pad. The script only *reads* the game, the plugin's
state and the overlay - to know where it is and to aim its clicks, like the plugin's own tests
do - and never calls a panel. Each stage waits on real conditions (scene, ``kgen.state``, the
overlay's top panel, a call settling) within a frame budget; running over it, or an error on
screen, fails the run with a message naming the stage (exit code 1). The budgets count only
that waiting, not the flow's own pauses, whose length is the pace (demo_game/pace.py): watchable
by default (a person can read the reward, the SMS and every panel), FAST with ``--fast`` (CI).

It always plays a new player (``python -m demo_game`` gives it a fresh run, see
demo_game/saved_data.py), so no step depends on what an earlier run left behind.

Only the sandbox ends tournaments on request: the stage that does it uses the "sandbox demo
helper" of kgen_integration.py, which refuses to act unless the endpoint is a KGeN sandbox.
The SMS notice comes from the plugin's SANDBOX_SMS event, which the plugin posts for its
embedded sandbox, or, with ``--broker``, from the demo's own look at the local sandbox it
started (demo_game/local_kgen.py); so the full flow runs against one of those two, never
against a KGEN_BASE_URL of your own.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pygame

from demo_game import config
from demo_game.bot import Bot
from demo_game.flow_steps import (
    PAD_A,
    PAD_B,
    PAD_NEXT,
    click_menu_item,
    click_widget,
    dialog_open,
    erase,
    focus,
    is_on_top,
    key_events,
    pad,
    pad_button_events,
    pad_hat_events,
    panel,
    sequence,
    type_keys,
    unless,
    until_shown,
)
from demo_game.kgen_integration import SandboxJob
from demo_game.pace import FAST, Pace
from demo_game.scenes import GameOverScene, PlayScene, TournamentChoiceScene
from demo_game.scenes.tournament_choice import MAX_TOURNAMENTS
from demo_game.scripts import (
    Flow,
    FlowError,
    FlowStep,
    ScriptHost,
    Stage,
    call,
    check,
    post,
    press,
    snapshot,
    until,
    until_scene,
    wait,
)

if TYPE_CHECKING:
    from kgen_pygame import KGen
    from kgen_pygame.models import Tournament
    from kgen_pygame.runtime.state import PlayerState

SECOND = 60  # frames per second of game time
COUNTRY_CODE = "+91"
DEMO_CUP_TITLE = "Comet Catcher Cup"
DEMO_CUP_PRIZE = Decimal(30)
LOCK_MARGIN = timedelta(minutes=3)  # the sandbox locks joining a minute before the end
HERO_SHOT = "readme_flow.png"


def shot(step: str) -> str:
    """File name of the screenshot of `step`."""
    return f"demo_flow_{step}.png"


def phone_for(gamer_id: str) -> str:
    """A 10-digit demo phone number of this player (two players never share one)."""
    digest = hashlib.sha256(gamer_id.encode("utf-8")).hexdigest()
    return "98" + "".join(str(int(char, 16) % 10) for char in digest[:8])


# -- the flow ----------------------------------------------------------------------------------

class FullFlow:
    """The scripted full flow (an InputScript); the bot steers while a round is on.

    `pace` sets the flow's own pauses: WATCHABLE (the default of ``--script full-flow``) or
    FAST (``--fast``). The flow is the list in :meth:`stages`; each entry is a method that
    builds one :class:`Stage`, so a step is added by writing its method and listing it there.
    """

    must_finish = True

    def __init__(self, pace: Pace = FAST) -> None:
        self.pace = pace
        self.bot = Bot()
        self.tournament: Tournament | None = None
        self.score = 0
        self.sms_code = ""
        self._phone = ""
        self.linked_before = False
        self.achievements: list[str] = []  # earned in the round (eventTypes)
        self._setup_job: SandboxJob | None = None
        self._end_job: SandboxJob | None = None
        self._last_input = -pace.step
        self._choice_shot = False
        self._fast = False
        self.flow = Flow(self.stages(), must_finish=True)

    # InputScript ---------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.flow.done

    @property
    def failure(self) -> str | None:
        return self.flow.failure

    @property
    def fast_forward(self) -> bool:
        """Only a round may run faster than real time: elsewhere the flow waits on the
        network, and its frame budgets are meant as seconds of real time."""
        return self._fast

    @property
    def status(self) -> str:
        if self.flow.failure is None and self.flow.done:
            won = f" in {self.tournament.title}" if self.tournament is not None else ""
            return f"finished (scored {self.score}{won})"
        return self.flow.status

    def on_frame(self, frame: int, host: ScriptHost) -> None:
        self.flow.on_frame(frame, host)
        scene = host.scene
        self._fast = isinstance(scene, PlayScene) and not self.flow.done
        if isinstance(scene, PlayScene) or self.bot.stick != (0.0, 0.0):
            # In play the bot steers; once play is over this only centres its stick.
            for event in self.bot.events_for(scene, 1.0 / SECOND):
                host.post(event)

    # the stages, in order ------------------------------------------------------------------

    def stages(self) -> list[Stage]:
        """The whole flow. Later steps (an achievement, a generation's extra panel) go in here
        as one more method each."""
        return [
            self.launch(),
            self.pick_tournament(),
            self.title_screen(),
            self.join_tournament(),
            self.play_round(),
            self.scores_delivered(),
            self.end_tournament(),
            self.reward_on_hud(),
            self.open_kgen_menu(),
            self.rewards_panel(),
            self.claim_rewards(),
            self.link_wallet(),
            self.withdraw(),
            self.leaderboard(),
            self.wallet_history(),
            self.statistics(),
            self.rewards_earned(),
            self.all_delivered(),
            self.quit(),
        ]

    # pauses of the flow's own: what a person watching needs (none of them count in a budget)

    def _step(self) -> FlowStep:
        """Between two inputs."""
        return wait(self.pace.step)

    def _settle(self) -> FlowStep:
        """Until slides and fades are over (before a screenshot)."""
        return wait(self.pace.settle)

    def _read(self) -> FlowStep:
        """Time to read what is on screen."""
        return wait(self.pace.read)

    def _tab(self) -> list[pygame.event.Event]:
        return key_events(pygame.K_TAB)

    def launch(self) -> Stage:
        return Stage("launch", (check(_plugin_problem), until(self._launched)), 30 * SECOND,
                     hint="a KGeN session, the wallet balance and the tournament list")

    def pick_tournament(self) -> Stage:
        return Stage("pick a tournament", (self._pick_tournament,), 30 * SECOND,
                     hint="a tournament a lone winner is paid the minimum withdrawal in")

    def title_screen(self) -> Stage:
        return Stage("title screen", (self._settle(), self._read(), press(pygame.K_RETURN, "\r"),
                                      until_scene("tournament_choice")), 5 * SECOND)

    def join_tournament(self) -> Stage:
        return Stage("join the tournament", (self._choose_card,), 30 * SECOND,
                     hint="the join to be confirmed and the round to start")

    def play_round(self) -> Stage:
        return Stage("play a round", (
            until(lambda h: h.scene_name == "game_over" or _seconds_played(h) >= 25),
            call(lambda h: h.save_flow_shot(shot("play")) if h.scene_name == "play" else None),
            until_scene("game_over"),
            check(self._round_counted),
            check(self._achievement_earned),
        ), 95 * SECOND, hint="the round to end (time up or no lives left)")

    def scores_delivered(self) -> Stage:
        return Stage("scores delivered", (until(self._delivered),), 30 * SECOND,
                     hint="the outbox to empty")

    def end_tournament(self) -> Stage:
        return Stage("sandbox ends the tournament", (self._end_tournament,), 20 * SECOND)

    def reward_on_hud(self) -> Stage:
        return Stage("reward on the HUD", (
            until(self._reward_arrived), check(self._enough_to_withdraw), self._settle(),
            self._settle(), snapshot(shot("reward_hud")), self._read(),
        ), 20 * SECOND, hint="a reward for the tournament (did the player win a prize?)")

    def open_kgen_menu(self) -> Stage:
        return Stage("open the KGeN menu", (
            self._step(), press(pygame.K_F1), until_shown("menu", _menu_ready), self._read(),
        ), 10 * SECOND)

    def rewards_panel(self) -> Stage:
        return Stage("rewards panel", (
            self._settle(), focus("menu", "rewards", self._tab, self.pace.step), self._step(),
            press(pygame.K_RETURN, "\r"),
            until_shown("rewards", lambda p: bool(p.rewards) and p.claim_all.enabled),
            self._settle(), snapshot(shot("rewards")), self._read(),
        ), 15 * SECOND)

    def claim_rewards(self) -> Stage:
        return Stage("claim all rewards", (
            click_widget("rewards", "claim_all"), until(dialog_open), self._step(), pad(PAD_A),
            until(lambda h: not dialog_open(h)),
            until_shown("rewards", lambda p: not p.rewards and not p.claim_all.working),
            until(self._claimed), self._read(), press(pygame.K_ESCAPE),
            until(is_on_top("menu")),
        ), 20 * SECOND, hint="the claim to settle and the balance to show it")

    def link_wallet(self) -> Stage:
        already_linked = sequence(self._settle(), snapshot(shot("linked")), self._read(),
                                  press(pygame.K_RETURN, "\r"))
        return Stage("link the wallet", (
            self._step(), focus("menu", "link", self._tab, self.pace.step), self._step(),
            press(pygame.K_RETURN, "\r"), until(is_on_top("link")),
            call(self._note_linked),
            unless(lambda h: self.linked_before, self._link_with_otp(), otherwise=already_linked),
            until(is_on_top("menu")),
        ), 40 * SECOND, hint="the code to be sent, shown as an SMS and accepted")

    def withdraw(self) -> Stage:
        return Stage("withdraw", (
            until(lambda h: h.notifier.sms is None),  # the SMS notice has faded
            self._step(),
            focus("menu", "withdraw", lambda: pad_button_events(PAD_NEXT), self.pace.step),
            self._step(), pad(PAD_A),
            until_shown("withdraw", lambda p: p.stage == "form" and p.withdraw.enabled,
                        "amount"),
            self._settle(), self._read(),
            press(pygame.K_RETURN, "\r"),  # in the amount field: Withdraw
            until(dialog_open), self._step(), pad(PAD_A),
            until_shown("withdraw", lambda p: p.stage == "result", "amount"),
            until(self._withdrawn), self._settle(), snapshot(shot("withdraw")), self._read(),
            press(pygame.K_RETURN, "\r"), until(is_on_top("menu")),
            self._step(), press(pygame.K_ESCAPE), until(lambda h: not h.kgen.overlay_open),
        ), 30 * SECOND, hint="the withdrawal to go through")

    def leaderboard(self) -> Stage:
        return Stage("leaderboard", (
            self._settle(), click_menu_item("LEADERBOARD"),
            until_shown("leaderboard", lambda p: p.board is not None and p.own_index is not None),
            self._settle(), snapshot(shot("leaderboard")), self._read(),
            press(pygame.K_ESCAPE), until(lambda h: not h.kgen.overlay_open),
        ), 15 * SECOND, hint="the tournament's final standings with the player on them")

    def wallet_history(self) -> Stage:
        return Stage("wallet history", (
            self._step(), press(pygame.K_F1), until(is_on_top("menu")),
            focus("menu", "history", self._tab, self.pace.step), self._step(),
            press(pygame.K_RETURN, "\r"),
            until_shown("history", lambda p: p.row_count >= 3),
            self._settle(), snapshot(shot("history")), self._read(), press(pygame.K_ESCAPE),
            until(is_on_top("menu")),
        ), 15 * SECOND, hint="the bonus, reward and withdrawal transactions")

    def statistics(self) -> Stage:
        return Stage("statistics", (
            self._step(), focus("menu", "stats", self._tab, self.pace.step), self._step(),
            pad(PAD_A), until_shown("stats", lambda p: p.row_count >= 1),
            self._settle(), snapshot(shot("stats")), self._read(), pad(PAD_B),
            until(is_on_top("menu")),
            self._step(), press(pygame.K_ESCAPE), until(lambda h: not h.kgen.overlay_open),
        ), 15 * SECOND, hint="the ended tournament in the player's results")

    def rewards_earned(self) -> Stage:
        """The earned panel lists the round's achievements (skipped without loyalty: v1)."""
        return Stage("rewards earned", (
            unless(lambda h: not _plugin(h).supports("loyalty"), sequence(
                until(lambda h: h.kgen.pending_events == 0),  # the grants are delivered
                self._step(), press(pygame.K_F1), until(is_on_top("menu")),
                focus("menu", "earned_rewards", self._tab, self.pace.step), self._step(),
                press(pygame.K_RETURN, "\r"),
                until_shown("earned", lambda p: p.row_count
                            >= len(self._achievements(p))),
                self._settle(), snapshot(shot("earned")), self._read(),
                press(pygame.K_ESCAPE), until(is_on_top("menu")),
                self._step(), press(pygame.K_ESCAPE),
                until(lambda h: not h.kgen.overlay_open),
            )),
        ), 20 * SECOND, hint="the achievements' rewards in the Rewards earned panel")

    def all_delivered(self) -> Stage:
        return Stage("all events delivered", (until(lambda h: h.kgen.pending_events == 0),),
                     30 * SECOND, hint="the outbox to empty")

    def quit(self) -> Stage:
        return Stage("quit", (self._settle(), post(pygame.event.Event(pygame.QUIT))))

    def _link_with_otp(self) -> FlowStep:
        """Country code and phone typed in, code requested, the SMS read, the code typed."""
        typing = self.pace.typing
        return sequence(
            self._step(), click_widget("link", "country"), erase("link", "country"),
            type_keys(COUNTRY_CODE, typing), press(pygame.K_TAB),
            until(lambda h: getattr(panel(h, "link"), "focused", None)
                  is getattr(panel(h, "link"), "phone", False)),
            type_keys(lambda: self._phone, typing), self._step(),
            press(pygame.K_RETURN, "\r"),  # in the phone field: Send code
            until_shown("link", lambda p: p.stage == "code", "country", "phone"),
            until(self._sms_on_screen), snapshot(shot("sms")), snapshot(HERO_SHOT),
            call(self._read_sms), self._read(),
            type_keys(lambda: self.sms_code, typing), self._step(),
            press(pygame.K_RETURN, "\r"),  # in the code field: Verify
            until_shown("link", lambda p: p.stage == "linked", "code"),
            until(lambda h: _state(h).linked),
            self._settle(), snapshot(shot("linked")), self._read(),
            press(pygame.K_RETURN, "\r"),  # Done
        )

    # stage logic ---------------------------------------------------------------------------

    def _launched(self, host: ScriptHost) -> bool:
        state = _state(host)
        if state.session is not None:
            self._phone = phone_for(_plugin(host).gamer_id)
        return (host.scene_name == "title" and state.session is not None
                and state.balance is not None and bool(state.tournaments))

    def _pick_tournament(self, frame: int, host: ScriptHost) -> bool:
        """Choose what to join; if nothing on offer pays a lone winner enough, have the
        sandbox demo helper set up a free tournament with a prize and wait for it."""
        kgen = _plugin(host)
        shown = {option.uid for option in host.kgen.tournament_options()[1:1 + MAX_TOURNAMENTS]}
        job = self._setup_job
        made = job.detail if job is not None and job.done and job.ok else None
        candidates = [t for t in kgen.active_tournaments
                      if t.uid in shown and (t.uid == made or _winnable_alone(t, kgen.state))]
        if candidates:
            self.tournament = min(candidates, key=lambda t: t.buy_in)
            return True
        if job is None:
            minimum = _minimum(host)
            job = host.kgen.sandbox_create_tournament(DEMO_CUP_TITLE,
                                                      max(DEMO_CUP_PRIZE, minimum))
            if job is None:
                raise FlowError(f"no tournament on offer pays a lone winner the minimum "
                                 f"withdrawal ({minimum}), and the endpoint is not a sandbox "
                                 "the demo helper may set one up in")
            self._setup_job = job
        elif job.done and not job.ok:
            raise FlowError(f"the sandbox demo helper could not {job.what}: {job.detail}")
        return False

    def _choose_card(self, frame: int, host: ScriptHost) -> bool:
        """On the choice screen: d-pad to the tournament's card, A to join (twice with a buy-in:
        the screen asks to confirm). Done once the round has started."""
        target = self.tournament
        assert target is not None
        scene = host.scene
        if isinstance(scene, PlayScene):
            if scene.option.uid != target.uid:
                raise FlowError(f"a round of {scene.option.title} started instead of "
                                 f"{target.title}")
            return True
        if not isinstance(scene, TournamentChoiceScene) or scene.joining is not None:
            return False
        if scene.message and scene.message_color == config.RED:
            raise FlowError(f"joining {target.title} failed: {scene.message}")
        index = next((i for i, option in enumerate(scene.options) if option.uid == target.uid),
                     None)
        if index is None or frame - self._last_input < self.pace.step:
            return False  # not listed yet (the list refreshes twice a second), or too soon
        self._last_input = frame
        if scene.menu.focus != index:
            events = pad_hat_events(-1 if scene.menu.focus < index else 1)
        elif not self._choice_shot:
            self._choice_shot = True
            host.save_flow_shot(shot("choice"))
            return False
        else:
            events = pad_button_events(PAD_A)
        for event in events:
            host.post(event)
        return False

    def _round_counted(self, host: ScriptHost) -> str | None:
        scene = host.scene
        if not isinstance(scene, GameOverScene):
            return f"expected the results screen, not {host.scene_name}"
        result = scene.result
        self.score = result.score
        if self.tournament is None or result.option.uid != self.tournament.uid:
            return f"the round counted for {result.option.title}, not the joined tournament"
        if not result.reported:
            return "the final score was not handed to KGeN"
        return None

    def _achievement_earned(self, host: ScriptHost) -> str | None:
        self.achievements = list(host.kgen.achievements_rewarded)
        if self.achievements or not _plugin(host).supports("loyalty"):
            return None
        return "the round earned no achievement (the bot scores well over 1,000 points)"

    def _achievements(self, view: Any) -> list[str]:
        return self.achievements

    def _delivered(self, host: ScriptHost) -> bool:
        joined = self.tournament is not None and (
            self.tournament.uid in _plugin(host).joined_tournament_ids)
        return joined and host.kgen.pending_events == 0

    def _end_tournament(self, frame: int, host: ScriptHost) -> bool:
        assert self.tournament is not None
        job = self._end_job
        if job is None:
            job = host.kgen.sandbox_end_tournament(self.tournament.uid)
            if job is None:
                raise FlowError("the endpoint is not a KGeN sandbox, so the demo cannot end "
                                 "the tournament (the platform ends it on its schedule)")
            self._end_job = job
        if not job.done:
            return False
        if not job.ok:
            raise FlowError(job.detail)
        return True

    def _reward_arrived(self, host: ScriptHost) -> bool:
        rewards = _state(host).rewards
        uid = self.tournament.uid if self.tournament is not None else None
        return rewards is not None and any(r.tournament_id == uid for r in rewards.rewards)

    def _enough_to_withdraw(self, host: ScriptHost) -> str | None:
        state = _state(host)
        balance = state.balance
        if balance is None:
            return "no wallet balance known"
        if state.unclaimed_total + balance.earned < balance.min_to_withdraw:
            return (f"the rewards ({state.unclaimed_total}) and the earned balance "
                    f"({balance.earned}) do not reach the minimum withdrawal "
                    f"({balance.min_to_withdraw})")
        return None

    def _claimed(self, host: ScriptHost) -> bool:
        state = _state(host)
        balance = state.balance
        return (state.rewards is not None and state.unclaimed_count == 0
                and balance is not None and balance.earned >= balance.min_to_withdraw)

    def _note_linked(self, host: ScriptHost) -> None:
        self.linked_before = _state(host).linked

    def _sms_on_screen(self, host: ScriptHost) -> bool:
        sms = host.notifier.sms
        return sms is not None and bool(sms.code) and sms.age >= 0.6  # slid fully in

    def _read_sms(self, host: ScriptHost) -> None:
        """Read the code off the SMS notice the player sees (SANDBOX_SMS, or --broker's own)."""
        sms = host.notifier.sms
        if sms is None or not sms.code.isdigit():
            raise FlowError("the SMS notice shows no code")
        self.sms_code = sms.code

    def _withdrawn(self, host: ScriptHost) -> bool:
        balance = _state(host).balance
        view = panel(host, "withdraw")
        result = getattr(view, "result", None)
        return result is not None and balance is not None and balance.earned == 0


# -- helpers -----------------------------------------------------------------------------------

def _plugin_problem(host: ScriptHost) -> str | None:
    if host.kgen.plugin is None:
        return f"KGeN is not running ({host.kgen.problem or 'unknown reason'})"
    return None


def _plugin(host: ScriptHost) -> KGen:
    kgen = host.kgen.plugin
    if kgen is None:
        raise FlowError("KGeN stopped")
    return kgen


def _state(host: ScriptHost) -> PlayerState:
    return _plugin(host).state


def _minimum(host: ScriptHost) -> Decimal:
    balance = _state(host).balance
    return balance.min_to_withdraw if balance is not None else Decimal(20)


def _seconds_played(host: ScriptHost) -> float:
    scene = host.scene
    return scene.world.elapsed if isinstance(scene, PlayScene) else 0.0


def _menu_ready(view: Any) -> bool:
    state = view.kgen.state
    return state.balance is not None and state.rewards is not None


def _winnable_alone(tournament: Tournament, state: PlayerState,
                    now: datetime | None = None) -> bool:
    """Affordable, nobody else in it, a prize pool of at least the minimum withdrawal (a lone
    winner takes the whole pool), and open long enough to join and play a round."""
    balance = state.balance
    if balance is None:
        return False
    if tournament.buy_in > balance.bonus + balance.earned + balance.bought:
        return False
    if (tournament.prize_pool or Decimal(0)) < balance.min_to_withdraw:
        return False
    me = 1 if tournament.uid in state.joined_ids else 0
    if (tournament.participants_count or 0) - me > 0:
        return False
    ends_at = tournament.ends_at
    if ends_at is None:
        return True
    if ends_at.tzinfo is None:
        ends_at = ends_at.replace(tzinfo=UTC)
    return ends_at - (now or datetime.now(UTC)) > LOCK_MARGIN


__all__ = ["FullFlow", "phone_for"]
