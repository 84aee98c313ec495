#ifndef REEL_CFFMPEG_SHIM_H
#define REEL_CFFMPEG_SHIM_H

// The C surface Reel uses from FFmpeg. Swift cannot import function-like macros or
// macros built from casts and compound literals, so the ones Reel needs are
// re-exported here as static inline functions and static const values.

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/pixdesc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/dict.h>
#include <libavutil/mem.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/samplefmt.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/display.h>
#include <libavutil/mastering_display_metadata.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <errno.h>

/// `AVERROR(e)`: an FFmpeg error code from a POSIX errno value.
static inline int reel_averror(int posix_error) { return AVERROR(posix_error); }

/// `AVERROR_EOF`: end of file.
static const int REEL_AVERROR_EOF = AVERROR_EOF;
/// `AVERROR(EAGAIN)`: output not available in this state, try again.
static const int REEL_AVERROR_EAGAIN = AVERROR(EAGAIN);
/// `AVERROR_INVALIDDATA`: invalid data found when processing input.
static const int REEL_AVERROR_INVALIDDATA = AVERROR_INVALIDDATA;
/// `AVERROR_DECODER_NOT_FOUND`.
static const int REEL_AVERROR_DECODER_NOT_FOUND = AVERROR_DECODER_NOT_FOUND;

/// `AVERROR_ENCODER_NOT_FOUND`.
static const int REEL_AVERROR_ENCODER_NOT_FOUND = AVERROR_ENCODER_NOT_FOUND;

/// `AVERROR_BUFFER_TOO_SMALL`: the output buffer cannot hold the result (subtitle encoders).
static const int REEL_AVERROR_BUFFER_TOO_SMALL = AVERROR_BUFFER_TOO_SMALL;

/// `AV_NOPTS_VALUE`: an undefined timestamp.
static const int64_t REEL_AV_NOPTS_VALUE = AV_NOPTS_VALUE;

/// `AV_TIME_BASE`, FFmpeg's internal time base (microseconds).
static const int REEL_AV_TIME_BASE = AV_TIME_BASE;

/// `AV_TIME_BASE_Q`: the internal time base as a rational.
static inline AVRational reel_av_time_base_q(void) { return (AVRational){1, AV_TIME_BASE}; }

/// The channel count of codec parameters (the 5.1 `ch_layout` API).
static inline int reel_codecpar_channels(const AVCodecParameters *par) { return par->ch_layout.nb_channels; }

/// `AV_CODEC_FLAG_CLOSED_GOP` as the `int` that `AVCodecContext.flags` holds (the macro is
/// `1U << 31`, an unsigned value Swift will not put into an `Int32`).
static const int REEL_AV_CODEC_FLAG_CLOSED_GOP = (int)AV_CODEC_FLAG_CLOSED_GOP;

/// `AV_CHANNEL_LAYOUT_STEREO`: a compound literal, which Swift cannot import.
static inline AVChannelLayout reel_channel_layout_stereo(void) { return (AVChannelLayout)AV_CHANNEL_LAYOUT_STEREO; }

#endif
