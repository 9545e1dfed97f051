package sprites;

import engine.Sprite;
import engine.SpriteKind;

/** An item that rises out of its block and is used up when Mario touches it: mushrooms, flowers. */
abstract class PowerUp extends Sprite {
    /** Ticks an item takes to rise out of its block, one pixel a tick. */
    protected static final int EMERGE_TICKS = 9;

    /** Ticks since the item appeared (counted while it rises). */
    protected int life;

    protected PowerUp(SpriteKind kind, float x, float y) {
        super(kind, x, y);
        this.width = 4;
        this.height = 12;
    }

    /** What touching the item does to Mario. */
    protected abstract void giveTo(Mario mario);

    @Override
    public final void collideCheck() {
        if (hitBy(world.mario())) {
            giveTo(world.mario());
            world.removeSprite(this);
        }
    }
}
