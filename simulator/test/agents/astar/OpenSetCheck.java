package agents.astar;

import engine.World;
import io.Alphabet;
import io.LevelParser;

/** Checks of the A* open set's order (package-private class, so the check lives in its package). */
public final class OpenSetCheck {
    private OpenSetCheck() {
    }

    /** Throws AssertionError if the open set does not pop by priority, ties first-in first-out. */
    public static void run() {
        World world = new World(LevelParser.parse("--\n--\n--\nXX\n", Alphabet.VGLC), 1000, engine.MarioMode.SMALL);
        SearchNode[] nodes = new SearchNode[6];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new SearchNode(world, Persona.RUNNER);
        }
        OpenSet open = new OpenSet();
        float[] priorities = {5f, -3f, 5f, 0f, -3f, 1e6f};
        for (int i = 0; i < nodes.length; i++) {
            open.add(nodes[i], priorities[i]);
        }
        int[] expected = {1, 4, 3, 0, 2, 5};
        for (int index : expected) {
            SearchNode polled = open.poll();
            if (polled != nodes[index]) {
                throw new AssertionError("open set popped the wrong node, expected #" + index);
            }
        }
        if (!open.isEmpty()) {
            throw new AssertionError("open set should be empty");
        }
        java.util.Map<SearchNode, Float> priorityOf = new java.util.IdentityHashMap<>();
        for (int i = 0; i < 1000; i++) {
            SearchNode node = new SearchNode(world, Persona.RUNNER);
            float priority = (i * 7919) % 1000 - 500.5f;
            priorityOf.put(node, priority);
            open.add(node, priority);
        }
        float previous = Float.NEGATIVE_INFINITY;
        while (!open.isEmpty()) {
            float priority = priorityOf.get(open.poll());
            if (priority < previous) {
                throw new AssertionError("open set out of order: " + priority + " after " + previous);
            }
            previous = priority;
        }
    }
}
