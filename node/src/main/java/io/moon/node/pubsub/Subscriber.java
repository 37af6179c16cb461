package io.moon.node.pubsub;

/** A client that receives published messages: pushes are sent from any thread. */
public interface Subscriber {
    /** RESP version the frames for this client must use (2 or 3). */
    int protocol();

    /** Sends one encoded push frame; callable from any thread, delivered in call order per caller. */
    void push(byte[] frame);
}
