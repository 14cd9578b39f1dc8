"""The Train screen's styles (its ``DEFAULT_CSS``), kept apart from its logic."""

SCREEN_CSS = """
TrainScreen #train-body {
    height: 1fr;
}
TrainScreen #train-main {
    width: 1fr;
    height: 1fr;
}
TrainScreen #plots {
    height: 1fr;
    grid-size: 2 2;
    grid-columns: 9fr 11fr;  /* the boundary gets the wider column */
    grid-rows: 1fr 1fr;
}
TrainScreen #model-plot {
    row-span: 2;
}
TrainScreen.-narrow #plots {
    grid-size: 1 2;
    grid-columns: 1fr;
}
TrainScreen.-narrow #model-plot {
    row-span: 1;
}
TrainScreen.-narrow #accuracy-plot {
    display: none;
}
TrainScreen.-narrow.-form-hidden #plots {
    grid-size: 2 2;
    grid-columns: 9fr 11fr;
}
TrainScreen.-narrow.-form-hidden #model-plot {
    row-span: 2;
}
TrainScreen.-narrow.-form-hidden #accuracy-plot {
    display: block;
}
TrainScreen.-form-hidden TrainControls {
    display: none;
}
TrainScreen NeuronPanel {
    display: none;
    row-span: 2;
}
/* -neurons sits on #plots, not on the screen: toggling it restyles those five widgets,
   not the whole form (Ctrl+T answers in a frame or two) */
TrainScreen #plots.-neurons NeuronPanel {
    display: block;
}
TrainScreen #plots.-neurons #loss-plot, TrainScreen #plots.-neurons #accuracy-plot,
TrainScreen.-narrow #plots.-neurons #model-plot {
    display: none;
}
TrainScreen.-narrow.-form-hidden #plots.-neurons #model-plot {
    display: block;
}
"""
