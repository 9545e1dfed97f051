package agents;

import agents.astar.AStarAgent;
import agents.astar.Persona;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Creates agents by name: the one list of agent names (the `serve` handshake reports it). */
public final class Agents {
    /** Each agent's factory by name, in the order the names are listed; the argument is the node budget. */
    private static final Map<String, IntFunction<Agent>> FACTORIES = factories();

    private Agents() {
    }

    private static Map<String, IntFunction<Agent>> factories() {
        Map<String, IntFunction<Agent>> factories = new LinkedHashMap<>();
        factories.put("astar", budget -> new AStarAgent(budget, true));
        factories.put("astar-reference", budget -> new AStarAgent(budget, false));
        // the runner persona is the astar agent itself: MFEDRL's Runner is Baumgarten's A*, as astar is
        factories.put("runner", budget -> new AStarAgent(budget, true, Persona.RUNNER));
        factories.put("killer", budget -> new AStarAgent(budget, true, Persona.KILLER));
        factories.put("collector", budget -> new AStarAgent(budget, true, Persona.COLLECTOR));
        factories.put("forward", budget -> new ForwardAgent());
        factories.put("noop", budget -> new NoopAgent());
        factories.put("jump", budget -> JumpingAgent.onTheSpot());
        factories.put("walk-jump", budget -> JumpingAgent.walking());
        factories.put("run-jump", budget -> JumpingAgent.running());
        factories.put("fire", budget -> new FiringAgent());
        return Collections.unmodifiableMap(factories);
    }

    /** The names {@link #create} accepts. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** The agent called {@code name}; {@code nodeBudget} applies to searching agents. */
    public static Agent create(String name, int nodeBudget) {
        IntFunction<Agent> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown agent '" + name + "' (expected "
                + String.join(", ", names()) + ")");
        }
        return factory.apply(nodeBudget);
    }
}
