package dev.otptoken.firmware.sim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Controls that record what they were asked to do, for the headless and control-socket tests. */
class RecordingControls implements Controls {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void press() {
        calls.add("press");
    }

    @Override
    public void longPress() {
        calls.add("long");
    }

    @Override
    public void temperature(double celsius) {
        calls.add("temperature " + celsius);
    }

    @Override
    public String status() {
        calls.add("status");
        return "serial=1";
    }

    @Override
    public void quit() {
        calls.add("quit");
    }
}
