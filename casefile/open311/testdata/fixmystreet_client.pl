#!/usr/bin/perl
# Drives FixMyStreet's own Open311 client (perllib/Open311.pm of
# mysociety/fixmystreet, not shipped here: put its perllib on @INC with -I)
# against a running endpoint, the way FixMyStreet's send-reports and
# fetch-updates jobs call it. Prints TAP; TestFixMyStreetClient runs it.
#
#   perl -I$FMS_PERLLIB fixmystreet_client.pl file    ENDPOINT/ API_KEY
#   perl -I$FMS_PERLLIB fixmystreet_client.pl updates ENDPOINT/ API_KEY START END REFERENCE
#
# Open311.pm loads parts of FixMyStreet it does not use on these paths
# (the database, cobrands, photo handling); they are stubbed below. Only
# Utils::truncate_coordinate is on the path: it formats a coordinate with
# at most six decimals, as FixMyStreet's does.
use strict;
use warnings;
use utf8;
use Test::More;

BEGIN {
    for my $m (qw(FixMyStreet/Cobrand.pm FixMyStreet/DB.pm Utils.pm FixMyStreet/App/Model/PhotoSet.pm FixMyStreet/ImageMagick.pm)) {
        $INC{$m} = __FILE__;
    }
}
package FixMyStreet { sub config { undef } sub test_mode { 1 } }
package Utils {
    sub truncate_coordinate { my $out = sprintf('%0.6f', shift); $out =~ s{\.?0+\z}{} if $out =~ m{\.}; $out }
}
package StubUser { sub new { bless { email => $_[1] }, $_[0] } sub email { $_[0]{email} } sub phone { undef } }
package StubProblem {
    sub new { my ($c, %a) = @_; bless {%a}, $c }
    sub AUTOLOAD { our $AUTOLOAD; my $n = $AUTOLOAD =~ s/.*:://r; return if $n eq 'DESTROY'; $_[0]{$n} }
}
package main;

use Open311;

my ($cmd, $endpoint, $key, @rest) = @ARGV;
my $o = Open311->new(endpoint => $endpoint, jurisdiction => 'gent', api_key => $key);

if ($cmd eq 'file') {
    my $services = $o->get_service_list;
    ok($services && $services->{service}, 'services.xml parses') or diag $o->error;
    my ($dump) = grep { $_->{service_code} eq 'waste.illegal_dump' } @{ $services->{service} || [] };
    ok($dump, 'a service code with a dot is listed');
    is($dump->{metadata}, 'true', 'it has metadata');

    my $meta = $o->get_service_meta_info('waste.illegal_dump');
    ok($meta && $meta->{attributes}, 'services/waste.illegal_dump.xml parses') or diag explain $meta;
    my %attr = map { $_->{code} => $_ } @{ $meta->{attributes} || [] };
    is($attr{amount}{datatype}, 'singlevaluelist', 'amount is a single-value list');
    is(scalar @{ $attr{amount}{values} || [] }, 3, 'with three values');
    is($attr{amount}{values}[1]{key}, 'car', 'the second value is car');
    is($attr{weight_kg}{datatype}, 'number', 'weight is a number');
    is($attr{kinds}{datatype}, 'multivaluelist', 'kinds is a multi-value list');

    my $problem = StubProblem->new(
        id => 42, title => 'Sluikstort aan de kerk', detail => 'Zakken en een matras naast de glasbol.',
        name => 'An Peeters', user => StubUser->new('an@example.be'), used_map => 1,
        latitude => 51.0545123456, longitude => 3.7215123456, cobrand => 'fixmystreet', bodies => {},
        send_fail_count => 0,
        get_extra_fields => [ { name => 'amount', value => 'car' }, { name => 'weight_kg', value => '12,5' },
            { name => 'fms_extra_hazardous', value => 'nee' } ],
    );
    my $id = $o->send_service_request($problem,
        { url => 'https://fixmystreet.example/report/42', image_url => 'https://fixmystreet.example/photo/42.jpeg' },
        'waste.illegal_dump');
    like($id, qr/^\d{4}-\d{6}$/, 'send_service_request returns the reference') or diag $o->error;
    print "# reference=$id\n";

    my $requests = $o->get_service_requests({ report_ids => [$id] });
    is(scalar @{ $requests || [] }, 1, 'requests.xml?service_request_id= finds it') or diag $o->error;
    my $r = $requests->[0];
    is($r->{status}, 'open', 'open');
    is($r->{service_code}, 'waste.illegal_dump', 'its service code');
    # The client sends no api_key with a GET of requests.xml, so it reads
    # what the public reads: waste is a Summary category.
    is($r->{lat}, '51.055', 'the public sees the point to about 100 m');
    ok(!defined $r->{description} || $r->{description} eq '', 'and not the description');
    ok(!defined $r->{media_url}, 'nor the photo');

    my $bad = $o->send_service_request($problem, { url => 'https://fixmystreet.example/report/43' }, 'aliens');
    ok(!$bad, 'an unknown service code is refused');
    like($o->error, qr/404 Not Found.*\n.*404: service_code aliens not found/, 'with 404 and the Open311 error read by the client');
} elsif ($cmd eq 'updates') {
    my ($start, $end, $ref) = @rest;
    my $updates = $o->get_service_request_updates($start, $end);
    ok($updates && @$updates, 'servicerequestupdates.xml parses') or diag $o->error;
    my @mine = grep { $_->{service_request_id} eq $ref } @{ $updates || [] };
    is(scalar @mine, 2, 'two updates of the request');
    is($mine[-1]{status}, 'closed', 'the last closes it');
    is($o->map_state($mine[-1]{status}), 'fixed - council', 'which FixMyStreet maps to fixed');
    is($mine[-1]{description}, 'De zakken zijn opgehaald.', 'with the public message (the client sends its api_key here)');
    ok($mine[-1]{update_id} && !ref $mine[-1]{update_id}, 'and an update_id');
    ok(DateTime::Format::W3CDTF->parse_datetime($mine[-1]{updated_datetime}), 'updated_datetime is W3C');
} else {
    BAIL_OUT("unknown command $cmd");
}
done_testing();
