package io.moon.node.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/** The network transport (--io): io_uring, epoll or NIO; "auto" takes the first available. */
public enum Transport {
    IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

    public final String configName;

    Transport(String configName) { this.configName = configName; }

    public boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why the native transport cannot load here, for the log. */
    public String unavailabilityCause() {
        Throwable t = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return t == null ? "available" : t.toString();
    }

    public IoHandlerFactory handlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** Resolves --io: a named transport must be available; auto picks the best one that is. */
    public static Transport choose(String setting) {
        if (setting.equals("auto")) {
            for (Transport t : values()) if (t.available()) return t;
            return NIO;
        }
        for (Transport t : values()) {
            if (t.configName.equals(setting)) {
                if (!t.available()) {
                    throw new IllegalStateException("--io " + setting + " is not available here: " + t.unavailabilityCause());
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unknown --io " + setting);
    }
}
