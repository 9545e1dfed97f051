package play;

import agents.Agent;
import engine.Actions;
import engine.ForwardModel;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;

/** A human at the keyboard: arrows move and duck, s jumps, a runs (and fires when Mario has fire). */
public final class KeyboardAgent extends KeyAdapter implements Agent {
    private volatile int pressed;

    @Override
    public int act(ForwardModel model) {
        return pressed;
    }

    @Override
    public void keyPressed(KeyEvent e) {
        pressed |= buttonOf(e.getKeyCode());
    }

    @Override
    public void keyReleased(KeyEvent e) {
        pressed &= ~buttonOf(e.getKeyCode());
    }

    private static int buttonOf(int keyCode) {
        switch (keyCode) {
            case KeyEvent.VK_LEFT: return Actions.LEFT;
            case KeyEvent.VK_RIGHT: return Actions.RIGHT;
            case KeyEvent.VK_DOWN: return Actions.DOWN;
            case KeyEvent.VK_S: return Actions.JUMP;
            case KeyEvent.VK_A: return Actions.SPEED;
            default: return 0;
        }
    }
}
