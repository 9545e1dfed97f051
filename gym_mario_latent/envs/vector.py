"""Many Super Mario Bros emulators stepped together, behind Gymnasium's ``VectorEnv`` API.

Each lane is a full :class:`~gym_mario_latent.envs.smb.SuperMarioBrosEnv` (its own emulator and
:class:`~gym_mario_latent.envs.smb_game.MarioGame`), so reward, termination, info and start/cut-scene
skipping are exactly those of the single env. A small persistent thread pool steps groups of lanes at
once: our core runs all the frames of a lane's step in one C call with the GIL released (the game logic
then reads the RAM of each frame and rewinds the frames after a death or a flag), nes-py releases it for
each frame, so the emulators of different lanes run on different cores while the thin game logic takes
turns on the GIL.

Lanes share their start snapshots: the first reset skips the title screen in one lane and loads the result in
the others. ``lane_wrappers`` wraps every lane (for instance in the preprocessing stack of
:mod:`gym_mario_latent.preprocessing`), since ``gym.make_vec(..., wrappers=...)`` is refused for vector entry
points.
"""

import queue
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium.spaces import Box, Discrete
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from gym_mario_latent.actions import check_action, joypad_bitmaps
from gym_mario_latent.envs.autoreset import checked_autoreset_mode, same_step_info
from gym_mario_latent.envs.random_stages import SuperMarioBrosRandomStagesEnv
from gym_mario_latent.envs.smb import NES_FPS, OBSERVATION_MODES, TILES_MODE, SuperMarioBrosEnv
from gym_mario_latent.envs.snapshots import LaneSnapshot

DEFAULT_NUM_THREADS = 2
_SCALAR_TYPES = (int, float, bool, str)  # info values batched in one pass (str as an object array)


def _serve_lanes(tasks: queue.SimpleQueue, replies: queue.SimpleQueue) -> None:
    """A lane thread: run each ``(function, argument)`` task, reply ``None`` or the error it raised."""
    while (task := tasks.get()) is not None:
        try:
            task[0](task[1])
            replies.put(None)
        except BaseException as error:  # handed to the caller, which re-raises it
            replies.put(error)
        del task  # holds the caller's closure (and so its env) while this thread waits


def _stop_lane_threads(task_queues: list[queue.SimpleQueue]) -> None:
    for tasks in task_queues:
        tasks.put(None)


class LaneThreads:
    """Persistent threads that each run one group of lanes per call, beside the calling thread.

    A step hands each thread its group through a ``SimpleQueue`` and waits for as many replies: the least
    Python a hand-off can cost (a ``ThreadPoolExecutor`` future costs more GIL time than a lane's rules).
    The threads stop at :meth:`close`, or when this object is garbage-collected.
    """

    def __init__(self, count: int) -> None:
        self._tasks = [queue.SimpleQueue() for _ in range(count)]
        self._replies: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = [
            threading.Thread(
                target=_serve_lanes, args=(tasks, self._replies), name=f"mario-lane-{number}", daemon=True
            )
            for number, tasks in enumerate(self._tasks, 1)
        ]
        for thread in self._threads:
            thread.start()
        self._stop = weakref.finalize(self, _stop_lane_threads, self._tasks)

    def run(self, function: Callable[[Any], None], arguments: list, own_argument: Any) -> None:
        """Call ``function(argument)`` on each thread (one argument each) and ``function(own_argument)`` here;
        return when every call has finished, raising the first error any of them raised."""
        for tasks, argument in zip(self._tasks, arguments, strict=True):
            tasks.put((function, argument))
        errors = []
        try:
            function(own_argument)
        except BaseException as error:
            errors.append(error)
        finally:  # no lane is left running when this returns or raises
            errors += [error for _ in arguments if (error := self._replies.get()) is not None]
        if errors:
            raise errors[0]

    def close(self) -> None:
        """Stop the threads (after the calls in progress)."""
        self._stop()
        if sys.is_finalizing():  # an env left open at exit: daemon threads no longer run, so none can finish
            return
        for thread in self._threads:
            thread.join()


class SuperMarioBrosVectorEnv(VectorEnv):
    """``num_envs`` Super Mario Bros games stepped together on a thread pool.

    ## Description
    Lane ``i`` behaves exactly like ``gym.make(id)`` for the same ID, reset with seed ``seed + i``: the same
    observations, rewards, terminations and infos for the same actions. Create it with
    ``gym.make_vec("SuperMarioBros-1-1-v0", num_envs=8)`` (the IDs' ``vector_entry_point``) or
    ``SuperMarioBrosVectorEnv(8, target="1-1")``.

    ## Action Space
    ``MultiDiscrete([256] * num_envs)``: one joypad bitmap per lane (see the single env). With
    ``actions=SIMPLE_MOVEMENT`` (or any action list of :mod:`gym_mario_latent.actions`) it is
    ``MultiDiscrete([len(actions)] * num_envs)`` instead, each index meaning what it means to ``JoypadSpace``.

    ## Observation Space
    ``Box(0, 255, (num_envs, 240, 256, 3), uint8)``, a fresh batch array each call
    (``observation_mode="rgb"``); ``"rgb_view"`` writes every call into the same preallocated batch array
    (copy what you keep);
    ``"grayscale"`` gives ``(num_envs, 240, 256)``, ``"tiles"`` the single env's tile grid per lane (read from
    RAM, nothing drawn). With ``lane_wrappers``, the wrapped lane's observation space, batched
    (``(num_envs, 4, 84, 84)`` for the preprocessing stack).

    ## Rewards
    Per lane, as in the single env: ``clip(v + c + d, -15, 15)``. ``0.0`` on an autoreset step.

    ## Starting State
    As in the single env: the first controllable frame of the game or stage.

    ## Episode End
    Terminated as in the single env. Truncated when a lane has taken ``max_episode_steps`` steps (if given),
    counted like Gymnasium's ``TimeLimit``.

    ## Autoreset
    ``autoreset_mode`` (``metadata["autoreset_mode"]``). ``AutoresetMode.NEXT_STEP`` (Gymnasium's default):
    the step after a lane terminates or truncates resets that lane instead of stepping it; its action is
    ignored, and it returns the first observation of the new episode, reward ``0.0``,
    ``terminated=truncated=False`` and the reset info. ``AutoresetMode.SAME_STEP`` (what Stable-Baselines3
    expects): the step that ends a lane's episode resets it at once and returns the new episode's first
    observation, with the ended episode's last observation and info in ``info["final_obs"]`` and
    ``info["final_info"]``, as Gymnasium's ``SyncVectorEnv`` does.

    ## Info
    A dict of arrays, one entry per lane, with a ``_key`` boolean mask beside each key, as Gymnasium's
    vector envs build it: ``info["x_pos"][i]`` is lane ``i``'s ``x_pos``.

    ## Arguments
    - ``num_envs``: number of lanes.
    - ``num_threads``: threads stepping the lanes, the calling thread included (default 2; 1 steps them all
      in the calling thread).
    - ``actions``: an action list (button names per action), the vector counterpart of ``JoypadSpace``.
    - ``max_episode_steps``: truncate each episode after this many steps (``None``: never).
    - ``observation_mode``: ``"rgb"``, ``"rgb_view"``, ``"grayscale"`` or ``"tiles"`` (with ``lane_wrappers``:
      the mode the wrappers receive; ``"rgb_view"`` only if the first wrapper copies the screen).
    - ``lane_wrappers``: a function that wraps one lane env and returns the wrapped env (e.g.
      :func:`gym_mario_latent.preprocessing.preprocessing_wrappers`); it sees joypad bitmaps as actions.
    - ``autoreset_mode``: ``AutoresetMode.NEXT_STEP`` (default) or ``AutoresetMode.SAME_STEP`` (or their
      names ``"NextStep"``, ``"SameStep"``).
    - ``render_mode``: ``None`` or ``"rgb_array"`` (``render()`` returns one frame per lane).
    - everything else goes to each lane's :class:`SuperMarioBrosEnv` (``target``, ``lost_levels``,
      ``rom_mode``, ``frame_skip``, ``rom_path``...).

    Snapshots: :meth:`dump_state` / :meth:`load_state` save and restore one lane, :meth:`dump_states` /
    :meth:`load_states` every lane (their games, not the state of their ``lane_wrappers``, such as a frame
    stack). With ``emulator="native"`` a lane's snapshot pickles and converts to bytes (``to_bytes()``), which
    ``load_state`` also takes.

    ## Version History
    - v0–v3 as the single env's IDs (ROM modes).
    """

    lane_class: ClassVar[type[SuperMarioBrosEnv]] = SuperMarioBrosEnv
    metadata: ClassVar[dict] = {
        "autoreset_mode": AutoresetMode.NEXT_STEP,
        "render_modes": ["rgb_array"],
        "render_fps": NES_FPS,
    }

    def __init__(
        self,
        num_envs: int,
        *,
        num_threads: int = DEFAULT_NUM_THREADS,
        actions: list[list[str]] | None = None,
        max_episode_steps: int | None = None,
        observation_mode: str = "rgb",
        render_mode: str | None = None,
        lane_wrappers: Callable[[SuperMarioBrosEnv], gym.Env] | None = None,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        **env_kwargs: Any,
    ) -> None:
        self.lanes: list[SuperMarioBrosEnv] = []  # set first: a refused argument still closes cleanly
        self._pool = None
        for name, value in (("num_envs", num_envs), ("num_threads", num_threads)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if max_episode_steps is not None and (
            not isinstance(max_episode_steps, int) or max_episode_steps < 1
        ):
            raise ValueError(
                f"max_episode_steps must be a positive integer or None, got {max_episode_steps!r}"
            )
        if observation_mode not in (*OBSERVATION_MODES, TILES_MODE):
            raise ValueError(
                f"observation_mode {observation_mode!r} is not one of {[*OBSERVATION_MODES, TILES_MODE]}"
            )
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(
                f"render_mode {render_mode!r} is not one of {[None, *self.metadata['render_modes']]}"
            )
        if lane_wrappers is not None and not callable(lane_wrappers):
            raise TypeError(f"lane_wrappers must be a function env -> wrapped env, got {lane_wrappers!r}")
        self.metadata = {**self.metadata, "autoreset_mode": checked_autoreset_mode(autoreset_mode)}
        self.num_envs = num_envs
        self.render_mode = render_mode
        self.max_episode_steps = max_episode_steps
        self.observation_mode = observation_mode
        self._lane_envs: list[gym.Env] = []  # what the vector env steps: the lanes, or the wrapped lanes
        # The batch takes the lanes' own observations when they are wrapped or are tiles; otherwise bare lanes
        # hand back zero-copy views and the vector env copies screens into its batch itself.
        self._batch_from_lanes = lane_wrappers is not None or observation_mode == TILES_MODE
        lane_observation_mode = observation_mode if self._batch_from_lanes else "rgb_view"
        try:
            for _ in range(num_envs):
                lane = self.lane_class(
                    observation_mode=lane_observation_mode, render_mode=render_mode, **env_kwargs
                )
                self.lanes.append(lane)
                self._lane_envs.append(lane if lane_wrappers is None else lane_wrappers(lane))
        except BaseException:
            self.close_extras()
            raise
        first = self.lanes[0]
        for lane in self.lanes[1:]:
            lane.game.share_start_snapshots(first.game)
        self.metadata = {**self.metadata, "render_fps": first.metadata["render_fps"]}
        # index -> joypad byte; the identity table for raw bitmaps
        self._joypad_bytes = np.array(joypad_bitmaps(actions) if actions else range(256), dtype=np.uint8)
        self.single_action_space = Discrete(len(self._joypad_bytes))
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._nes_observation_mode = OBSERVATION_MODES[
            "grayscale" if observation_mode == "grayscale" else "rgb"
        ]
        if self._batch_from_lanes:
            self.single_observation_space = self._lane_envs[0].observation_space
        else:
            shape = first.observation(self._nes_observation_mode).shape
            self.single_observation_space = Box(0, 255, shape, np.uint8)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self._observations = np.zeros(self.observation_space.shape, dtype=self.single_observation_space.dtype)
        self._rewards = np.zeros(num_envs, dtype=np.float64)
        self._terminations = np.zeros(num_envs, dtype=np.bool_)
        self._truncations = np.zeros(num_envs, dtype=np.bool_)
        self._autoreset = np.zeros(num_envs, dtype=np.bool_)
        self._elapsed_steps = np.zeros(num_envs, dtype=np.int64)
        self._lane_infos: list[dict] = [{} for _ in range(num_envs)]
        groups = min(num_threads, num_envs)
        self._lane_groups = [group.tolist() for group in np.array_split(np.arange(num_envs), groups)]
        if groups > 1:
            self._pool = LaneThreads(groups - 1)

    # --- running lanes ----------------------------------------------------------------------------------
    def _run_lanes(self, work: Callable[[int], None]) -> None:
        """Call ``work(lane_index)`` for every lane, one group of lanes per thread (the calling thread runs
        the first group, the pool the others)."""
        if self._pool is None:
            for index in range(self.num_envs):
                work(index)
            return

        def run_group(group: list[int]) -> None:
            for index in group:
                work(index)

        self._pool.run(run_group, self._lane_groups[1:], self._lane_groups[0])

    def _start_lane(self, index: int, seed: int | None = None, options: dict | None = None) -> None:
        """Start a new episode in lane ``index``: its first observation and info go in the batch."""
        observation, self._lane_infos[index] = self._lane_envs[index].reset(seed=seed, options=options)
        self._elapsed_steps[index] = 0
        self._write_observation(index, observation)

    def _reset_lane(self, index: int, seed: int | None = None, options: dict | None = None) -> None:
        self._start_lane(index, seed, options)
        self._rewards[index] = 0.0
        self._terminations[index] = self._truncations[index] = False

    def _step_lane(self, index: int, action: int) -> None:
        if self._autoreset[index]:
            self._reset_lane(index)
            return
        observation, reward, terminated, truncated, info = self._lane_envs[index].step(action)
        self._elapsed_steps[index] += 1
        if self.max_episode_steps is not None and self._elapsed_steps[index] >= self.max_episode_steps:
            truncated = True
        self._rewards[index] = reward
        self._terminations[index] = terminated
        self._truncations[index] = truncated
        if (terminated or truncated) and self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP:
            final_observation = (
                np.array(observation)
                if self._batch_from_lanes
                else self.lanes[index].observation(self._nes_observation_mode)
            )
            self._start_lane(index)
            self._lane_infos[index] = same_step_info(self._lane_infos[index], final_observation, info)
        else:
            self._lane_infos[index] = info
            self._write_observation(index, observation)

    def _write_observation(self, index: int, observation: np.ndarray) -> None:
        """Put lane ``index``'s observation in the batch (a bare lane's screen is read straight from the
        emulator into it)."""
        if self._batch_from_lanes:
            self._observations[index] = observation
        else:
            self.lanes[index].observation(self._nes_observation_mode, output=self._observations[index])

    def _batch_infos(self) -> dict[str, Any]:
        """The lanes' infos as Gymnasium's ``_add_info`` batches them; in one pass per key when every lane has
        the same keys with scalar values (the usual step), lane by lane otherwise."""
        infos = self._lane_infos
        keys = infos[0].keys()
        if all(info.keys() == keys for info in infos):
            batched = {}
            masks = np.ones((len(keys), self.num_envs), dtype=np.bool_)  # every lane has every key
            for key, mask in zip(keys, masks, strict=True):
                values = [info[key] for info in infos]
                kind = type(values[0])
                if kind not in _SCALAR_TYPES or any(type(value) is not kind for value in values):
                    break
                batched[key] = np.array(values, dtype=kind if kind is not str else object)
                batched[f"_{key}"] = mask
            else:
                return batched
        batched = {}
        for index, info in enumerate(infos):
            batched = self._add_info(batched, info, index)
        return batched

    def _fresh_observation_buffer(self) -> None:
        # Batches built from the lanes' own observations (wrapped lanes, tiles) are always fresh.
        if self.observation_mode != "rgb_view" or self._batch_from_lanes:
            self._observations = np.empty_like(self._observations)

    # --- Gymnasium API ----------------------------------------------------------------------------------
    def reset(
        self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every lane; an int ``seed`` seeds lane ``i`` with ``seed + i``, a list one seed per lane."""
        if seed is None:
            seeds = [None] * self.num_envs
        elif isinstance(seed, int):
            seeds = [seed + index for index in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"seed list has {len(seeds)} entries but there are {self.num_envs} lanes")
        super().reset(seed=seeds[0])
        self._fresh_observation_buffer()
        # Lane 0 first: it skips the title screen once, and the other lanes load its start snapshot.
        self._reset_lane(0, seeds[0], options)

        def reset_other_lane(index: int) -> None:
            if index > 0:
                self._reset_lane(index, seeds[index], options)

        self._run_lanes(reset_other_lane)
        self._autoreset[:] = False
        return self._observations, self._batch_infos()

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every lane with its joypad bitmap (lanes whose episode ended last step are reset instead)."""
        actions = np.asarray(actions)
        if actions.shape != (self.num_envs,):
            raise ValueError(f"actions must have shape ({self.num_envs},), got {actions.shape}")
        # each lane's action checked as the single env checks it (no float, string or bool is converted);
        # as Python scalars, which the check and the lanes take fastest
        lanes = [check_action(action, self.single_action_space) for action in actions.tolist()]
        actions = self._joypad_bytes[lanes].tolist()
        self._fresh_observation_buffer()
        self._run_lanes(lambda index: self._step_lane(index, actions[index]))
        if self.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP:
            self._autoreset = self._terminations | self._truncations
        return (
            self._observations,
            self._rewards.copy(),
            self._terminations.copy(),
            self._truncations.copy(),
            self._batch_infos(),
        )

    def render(self) -> tuple[np.ndarray, ...] | None:
        """One RGB frame per lane for ``render_mode="rgb_array"``, else ``None``."""
        if self.render_mode is None:
            return None
        return tuple(lane.observation(OBSERVATION_MODES["rgb"]) for lane in self.lanes)

    # --- snapshots --------------------------------------------------------------------------------------
    def _lane_index(self, index: int) -> int:
        if not isinstance(index, int | np.integer) or not 0 <= index < self.num_envs:
            raise IndexError(f"lane index {index!r} is outside 0..{self.num_envs - 1}")
        return int(index)

    def dump_state(self, index: int) -> LaneSnapshot:
        """Snapshot of lane ``index``; restore it (into any lane of the same ID) with :meth:`load_state`."""
        index = self._lane_index(index)
        return LaneSnapshot(
            self.lanes[index].dump_state(), int(self._elapsed_steps[index]), bool(self._autoreset[index])
        )

    def load_state(self, index: int, snapshot: LaneSnapshot | bytes) -> None:
        """Return lane ``index`` to ``snapshot`` (a :meth:`dump_state` value or its ``to_bytes()``): the same
        actions then replay the trajectory bit for bit.

        Raises:
            SnapshotError: as the single env's ``load_state``.
        """
        index = self._lane_index(index)
        if isinstance(snapshot, bytes | bytearray | memoryview):
            snapshot = LaneSnapshot.from_bytes(snapshot)
        if not isinstance(snapshot, LaneSnapshot):
            raise TypeError(f"expected a snapshot from dump_state(index), got {type(snapshot).__name__}")
        self.lanes[index].load_state(snapshot.env)
        self._elapsed_steps[index] = snapshot.elapsed_steps
        self._autoreset[index] = snapshot.autoreset

    def dump_states(self) -> list[LaneSnapshot]:
        """Snapshots of every lane, lane 0 first."""
        return [self.dump_state(index) for index in range(self.num_envs)]

    def load_states(self, snapshots: list[LaneSnapshot | bytes]) -> None:
        """Return every lane to its snapshot (as :meth:`dump_states` gave them, or their bytes)."""
        if len(snapshots) != self.num_envs:
            raise ValueError(f"got {len(snapshots)} snapshots for {self.num_envs} lanes")
        for index, snapshot in enumerate(snapshots):
            self.load_state(index, snapshot)

    def close_extras(self, **kwargs: Any) -> None:
        """Stop the thread pool and release every emulator."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        for lane in self.lanes:
            lane.close()


class SuperMarioBrosRandomStagesVectorEnv(SuperMarioBrosVectorEnv):
    """:class:`SuperMarioBrosVectorEnv` whose lanes draw a stage at each reset (random-stage IDs).

    Lane ``i`` draws from its own generator, seeded ``seed + i``, exactly as the single env would.
    """

    lane_class = SuperMarioBrosRandomStagesEnv
