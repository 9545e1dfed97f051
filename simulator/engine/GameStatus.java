package engine;

/** The state of a game: still running, or ended by reaching the finish, dying, or running out of time. */
public enum GameStatus {
    RUNNING("running"), WIN("win"), LOSE("lose"), TIMEOUT("timeout");

    public final String label;

    GameStatus(String label) {
        this.label = label;
    }
}
