# English customer-service terms for xo-score, written for xo (licence:
# as xo itself). Read after VADER and Hu & Liu, so these valences win:
# in service text "refund" is a complaint, not praise.
refund	-0.8
refunds	-0.8
refunded	0.5
waited	-0.8
waiting	-0.6
on hold	-1.2
still waiting	-1.8
charged twice	-2.2
double charged	-2.2
overcharged	-2.2
no response	-1.8
no answer	-1.5
no reply	-1.5
never arrived	-2.2
never received	-2.0
not received	-1.8
went wrong	-1.6
hung up	-1.9
cut off	-1.2
transferred	-0.5
again and again	-1.0
waste of time	-2.5
waste of money	-2.6
rip off	-2.8
ripoff	-2.8
sorted	1.2
resolved	1.6
fixed	1.2
