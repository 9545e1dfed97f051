package agents.astar;

/**
 * The A* open set: a binary min-heap of nodes ordered by priority, ties broken by insertion order
 * (first in, first out), so the search is deterministic.
 */
final class OpenSet {
    private long[] keys = new long[256];
    private SearchNode[] nodes = new SearchNode[256];
    private int size;
    private int nextSequence;

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        java.util.Arrays.fill(nodes, 0, size, null);
        size = 0;
        nextSequence = 0;
    }

    /** Adds {@code node} with {@code priority}; equal priorities come out in insertion order. */
    void add(SearchNode node, float priority) {
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
        }
        long key = ((long) sortableBits(priority) << 32) | (nextSequence++ & 0xffffffffL);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    /** Removes and returns the node with the lowest priority. */
    SearchNode poll() {
        SearchNode top = nodes[0];
        size--;
        long key = keys[size];
        SearchNode node = nodes[size];
        nodes[size] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            nodes[i] = nodes[child];
            i = child;
        }
        if (size > 0) {
            keys[i] = key;
            nodes[i] = node;
        }
        return top;
    }

    /** The float's bits as an int whose signed order is the float's order. */
    private static int sortableBits(float value) {
        int bits = Float.floatToIntBits(value);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }
}
